import { Client } from 'pg';
import { appendEvents } from '../../../src/events/outbox';
import { EVENTS_PER_JOB } from '../../../src/events/outbox-relay';
import { sleep } from '../../../src/lib/sleep';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addWorkflow } from '../../helpers/engine';
import { startRecoveringWorker, type LinkflowProcess } from '../../helpers/linkflow-process';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

jest.setTimeout(120_000);

const CONTACTS = 400;
const CONCURRENCY = 20;
/**
 * Runs the worker may have a step in flight of at once: one per step job, and every run an event job
 * enrolled, since its enrolment claims all of their first steps in its commit and then executes them
 * (src/engine/enrolment-store.ts, src/engine/inline-start.ts).
 */
const IN_FLIGHT = CONCURRENCY + CONCURRENCY * EVENTS_PER_JOB;

/**
 * A worker SIGKILLed while its step jobs hand their writes to the group commits and batches of them
 * are in flight: the finishes (src/engine/step-finish-writer.ts), the openings
 * (src/engine/step-open-writer.ts) and the add_tag writes (many contacts' in one statement,
 * src/contacts/contact-write-batch.ts). A write that had not committed had not happened, so its job was not
 * acknowledged and its step is repeated by the next worker, with the same idempotency key; a write
 * that committed is never repeated. The documented window: only steps in flight at the kill run
 * again, at most one per run (a run's steps follow each other), and no step of a run that had
 * completed; at most as many as the worker had runs in flight: one per step job slot, up to
 * EVENTS_PER_JOB per event job slot (a batch's new runs are enrolled with their first steps claimed,
 * then started inline, src/engine/inline-start.ts).
 */
describe('a worker killed while group commits of step finishes are in flight', () => {
  let env: TestEnv;
  let accountId: string;
  let sink: CaptureServer;
  const processes: LinkflowProcess[] = [];
  const startWorker = () =>
    startRecoveringWorker(env.env, processes, {
      WORKER_CONCURRENCY: String(CONCURRENCY),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    });

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    sink = await startCaptureServer();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await sink.close();
    await env.cleanup();
  });

  it('loses no step and repeats only the steps in flight, each with its own idempotency key', async () => {
    const db = env.container.db;
    await addWorkflow(env.container, accountId, {
      id: 'grouped',
      name: 'Grouped',
      trigger: { type: 'event', event: 'go' },
      steps: [
        { id: 'first', type: 'add_tag', tag: 'one' },
        { id: 'hook', type: 'webhook', url: `${sink.url}/hook`, body: { contact: '{{contact.email}}' } },
        { id: 'second', type: 'add_tag', tag: 'two' },
        { id: 'done', type: 'end' },
      ],
    });
    await db.query(
      `INSERT INTO contacts (account_id, email) SELECT $1, 'grouped' || n || '@example.com' FROM generate_series(1, $2::int) n`,
      [accountId, CONTACTS],
    );
    const contacts = (await db.query('SELECT id FROM contacts WHERE account_id = $1', [accountId])) as { id: string }[];

    const poll = new Client({ connectionString: env.config.DATABASE_URL });
    await poll.connect();
    const count = async (sql: string, params: unknown[] = []) => Number((await poll.query(sql, params)).rows[0].n);
    try {
      const victim = await startWorker();
      await db.transaction((tx) =>
        appendEvents(
          tx,
          contacts.map((contact) => ({ accountId, type: 'go', contactId: contact.id })),
        ),
      );
      // Killed once batches of finishes are committing (the finishes of one statement share its
      // transaction's timestamp) and a tenth of the runs are done: the other jobs are mid-chain.
      const batched = `SELECT count(*) AS n FROM (SELECT finished_at FROM run_steps GROUP BY finished_at HAVING count(*) > 1) b`;
      const completed = `SELECT count(*) AS n FROM runs WHERE status = 'completed'`;
      let atKill = 0;
      while (atKill < CONTACTS / 10 || (await count(batched)) === 0) {
        atKill = await count(completed);
        await sleep(2);
      }
      await victim.stop('SIGKILL');
      const completedAtKill = new Set(
        (await poll.query(`SELECT id FROM runs WHERE status = 'completed'`)).rows.map((row: { id: string }) => row.id),
      );
      atKill = completedAtKill.size;
      expect(atKill).toBeLessThan(CONTACTS);
      const hooksAtKill = sink.requests.length;

      await startWorker();
      await waitFor(async () => (await count(completed)) === CONTACTS, {
        timeoutMs: 90_000,
        what: 'every run completed',
      });

      // Every run took each of its four steps, once each as far as its rows tell.
      const steps = (
        await poll.query(
          `SELECT step_id, status, count(*)::int AS n FROM run_steps GROUP BY step_id, status ORDER BY step_id`,
        )
      ).rows;
      expect(steps).toEqual(
        ['done', 'first', 'hook', 'second'].map((step_id) => ({ step_id, status: 'completed', n: CONTACTS })),
      );
      // Each contact tagged once with each tag, and one event for each new tag: no action took effect twice.
      expect(
        await count(
          `SELECT count(*) AS n FROM contacts WHERE account_id = $1 AND tags @> ARRAY['one', 'two']::text[] AND cardinality(tags) = 2`,
          [accountId],
        ),
      ).toBe(CONTACTS);
      expect(await count(`SELECT count(*) AS n FROM outbox_events WHERE type = 'contact.tag_added'`)).toBe(
        2 * CONTACTS,
      );

      // Every run's webhook arrived; the repeats are the steps in flight at the kill, with the same key.
      const byKey = new Map<string, number>();
      for (const request of sink.requests) {
        const key = String(request.headers['idempotency-key']);
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
      }
      const runIds = (await poll.query(`SELECT id FROM runs`)).rows.map((row: { id: string }) => `${row.id}:hook`);
      expect([...byKey.keys()].sort()).toEqual(runIds.sort());
      const repeated = [...byKey.values()].filter((n) => n > 1);
      expect(repeated.every((n) => n === 2)).toBe(true);
      expect(repeated.length).toBeLessThanOrEqual(IN_FLIGHT);
      expect(sink.requests.length - CONTACTS).toBe(repeated.length);
      // The repeats happened after the kill, never before it (a live worker does not repeat a step).
      expect(hooksAtKill).toBeLessThanOrEqual(CONTACTS);
      const retried = (
        await poll.query(
          `SELECT run_id, count(*)::int AS n, max(attempts) AS attempts FROM run_steps WHERE attempts > 1 GROUP BY run_id`,
        )
      ).rows as { run_id: string; n: number; attempts: number }[];
      expect(retried.length).toBeGreaterThan(0);
      expect(retried.length).toBeLessThanOrEqual(Math.min(IN_FLIGHT, CONTACTS - atKill));
      for (const run of retried) {
        // One step per run, the one in flight, taken once more; none of a run that had completed.
        expect(run).toMatchObject({ n: 1, attempts: 2 });
        expect(completedAtKill.has(run.run_id)).toBe(false);
      }
    } finally {
      await poll.end();
    }
  });
});
