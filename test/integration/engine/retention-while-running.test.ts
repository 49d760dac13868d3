import request from 'supertest';
import { appendEvent } from '../../../src/events/outbox';
import { createApp } from '../../../src/roles/http-app';
import { pruneRetainedData } from '../../../src/roles/retention';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow } from '../../helpers/engine';
import { parseMetrics, sampleValue } from '../../helpers/prometheus-text';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

jest.setTimeout(180_000);

const CONTACTS = 120;
const DAY_MS = 86_400_000;

/**
 * The retention job deleting as fast as it can while runs start, wait on timers, call webhooks and
 * send email: with its clock a year ahead, every finished run and every published event is past its
 * retention the moment it ends, which is as close as pruning can get to live work.
 */
describe('pruning while the engine works', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let hooks: CaptureServer;

  beforeAll(async () => {
    hooks = await startCaptureServer(() => ({ status: 200, body: { ok: true }, delayMs: 5 }));
    env = await createTestEnv();
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers?.close();
    await hooks?.close();
    await env?.cleanup();
  });

  it('removes no live run, step, message or unread event, and every run ends once, counted once', async () => {
    const c = env.container;
    const { accountId } = await createTestAccount(c);
    const busy = await addWorkflow(c, accountId, {
      id: 'busy',
      name: 'Busy',
      trigger: { type: 'event', event: 'go' },
      steps: [
        { id: 'hook', type: 'webhook', url: `${hooks.url}/busy` },
        { id: 'pause', type: 'wait', duration: '1s' },
        { id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello' },
      ],
    });
    const patient = await addWorkflow(c, accountId, {
      id: 'patient',
      name: 'Patient',
      trigger: { type: 'event', event: 'go' },
      steps: [
        { id: 'pause', type: 'wait', duration: '30d', event: 'never' },
        { id: 'end', type: 'end' },
      ],
    });
    const contacts: string[] = [];
    for (let n = 0; n < CONTACTS; n++)
      contacts.push((await addContact(c, accountId, { email: `busy-${n}@example.com` })).id);

    let pruning = true;
    let pruned = 0;
    const pruner = (async () => {
      while (pruning) {
        const result = await pruneRetainedData(c, { now: new Date(Date.now() + 365 * DAY_MS), budgetMs: 1000 });
        pruned += result.runs;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    for (let from = 0; from < CONTACTS; from += 20) {
      await c.db.transaction(async (tx) => {
        for (const contactId of contacts.slice(from, from + 20))
          await appendEvent(tx, { accountId, type: 'go', contactId });
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const counted = async (workflowId: string, status: string): Promise<number> => {
      const rows: { n: number }[] = await c.db.query(
        `SELECT ((SELECT count(*) FROM runs WHERE workflow_id = $1 AND status = $2)
               + coalesce((SELECT sum(n) FROM pruned_totals WHERE metric = 'runs' AND label_a = $1::text AND label_b = $2), 0))::int AS n`,
        [workflowId, status],
      );
      return rows[0]!.n;
    };
    await waitFor(async () => (await counted(busy.id, 'completed')) === CONTACTS, {
      what: 'every busy run completed',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    await waitFor(async () => (await counted(patient.id, 'waiting')) === CONTACTS, {
      what: 'every patient run waiting',
    });
    pruning = false;
    await pruner;
    const last = await pruneRetainedData(c, { now: new Date(Date.now() + 365 * DAY_MS) });
    expect(last.caughtUp).toBe(true);
    expect(pruned + last.runs).toBe(CONTACTS);

    // Each busy run called its webhook once: one request per run, each its own idempotency key.
    const keys = hooks.requests.map((hook) => hook.headers['idempotency-key']);
    expect(keys).toHaveLength(CONTACTS);
    expect(new Set(keys).size).toBe(CONTACTS);
    // The waiting runs are all there, each at its wait.
    const waiting: { runs: number; steps: number }[] = await c.db.query(
      `SELECT count(DISTINCT r.id)::int AS runs, count(s.step_id)::int AS steps FROM runs r
       JOIN run_steps s ON s.run_id = r.id AND s.step_id = 'pause' AND s.status = 'waiting'
       WHERE r.workflow_id = $1 AND r.status = 'waiting'`,
      [patient.id],
    );
    expect(waiting[0]).toEqual({ runs: CONTACTS, steps: CONTACTS });
    const left: { runs: number; published: number }[] = await c.db.query(
      `SELECT (SELECT count(*) FROM runs WHERE workflow_id = $1)::int AS runs,
              (SELECT count(*) FROM outbox_events WHERE published_at IS NOT NULL)::int AS published`,
      [busy.id],
    );
    expect(left[0]).toEqual({ runs: 0, published: 0 });

    // /metrics counts every run and message as if nothing had been deleted.
    const samples = parseMetrics((await request(createApp(c)).get('/metrics').expect(200)).text);
    const runs = (workflow: string, status: string) =>
      sampleValue(samples, 'linkflow_runs_total', { workflow, status });
    expect(runs(busy.id, 'started')).toBe(CONTACTS);
    expect(runs(busy.id, 'completed')).toBe(CONTACTS);
    expect(runs(busy.id, 'failed')).toBe(0);
    expect(runs(patient.id, 'waiting')).toBe(CONTACTS);
    expect(sampleValue(samples, 'linkflow_messages_total', { channel: 'email', status: 'not_delivered' })).toBe(
      CONTACTS,
    );
  });
});
