import request from 'supertest';
import { createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { freePort } from '../helpers/free-port';
import { startLinkflowProcess, type LinkflowProcess } from '../helpers/linkflow-process';

jest.setTimeout(120_000);

const API_KEY = 'lf_scale_out_test_key_0123456789';

/** `--role api` serves HTTP only; any number of `--role worker` processes share the work. */
describe('running split into an API process and two worker processes', () => {
  let env: TestEnv;
  const processes: LinkflowProcess[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await env.cleanup();
  });

  it('takes contacts over HTTP on the API process and runs their workflows on both workers', async () => {
    const port = await freePort();
    const shared = { ...env.env, API_KEY, PORT: String(port), WORKER_CONCURRENCY: '4' };
    const api = await startLinkflowProcess({ role: 'api', env: shared });
    processes.push(api);
    const base = `http://127.0.0.1:${port}`;
    await request(base)
      .post('/api/v1/workflows')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({
        id: 'spread',
        name: 'Spread',
        trigger: { type: 'contact.tag_added', tag: 'spread' },
        // The pause makes the bulk of the work (40 timers and the steps after them) come due once both
        // workers are up, whichever of them published the events.
        steps: [
          { id: 'pause', type: 'wait', duration: '3s' },
          { id: 'mark', type: 'add_tag', tag: 'spread-done' },
        ],
      })
      .expect(201);

    // Nothing runs without a worker: the API process only writes to PostgreSQL.
    const contacts: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(base)
        .post('/api/v1/contacts')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ email: `spread${i}@example.com`, tags: ['spread'] })
        .expect(201);
      contacts.push(res.body.id);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before: { count: string }[] = await env.container.db.query('SELECT count(*) FROM runs');
    expect(before[0]!.count).toBe('0');
    expect(api.output()).not.toContain('workers started');

    const workers = await Promise.all([
      startLinkflowProcess({ role: 'worker', env: shared }),
      startLinkflowProcess({ role: 'worker', env: shared }),
    ]);
    processes.push(...workers);
    await waitFor(
      async () => {
        const rows: { count: string }[] = await env.container.db.query(
          `SELECT count(*) FROM runs WHERE status = 'completed'`,
        );
        return rows[0]!.count === '40';
      },
      { timeoutMs: 60_000, what: '40 completed runs' },
    );

    for (const worker of workers) expect(worker.output()).toContain('run steps executed');
    expect(api.output()).not.toContain('run steps executed');
    const runs = await request(base)
      .get('/api/v1/runs?limit=200')
      .set('Authorization', `Bearer ${API_KEY}`)
      .expect(200);
    expect(new Set(runs.body.items.map((run: { contactId: string }) => run.contactId))).toEqual(new Set(contacts));
  });
});
