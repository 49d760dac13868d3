import { Client } from 'pg';
import { appendEvents } from '../../../src/events/outbox';
import { sleep } from '../../../src/lib/sleep';
import { addWorkflow } from '../../helpers/engine';
import { startRecoveringWorker, type LinkflowProcess } from '../../helpers/linkflow-process';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

jest.setTimeout(120_000);

const CONTACTS = 300;

/**
 * A worker SIGKILLed while it works through batches of events: each batch job enrols its events'
 * contacts in one statement, then resumes their waiting runs one transaction at a time. The batch
 * redelivered to the next worker must add nothing to what committed: one run per (event, workflow),
 * each wait resumed once, by its event, and every run finishes.
 */
describe('a worker killed while it processes batches of events', () => {
  let env: TestEnv;
  let accountId: string;
  const processes: LinkflowProcess[] = [];
  const startWorker = () => startRecoveringWorker(env.env, processes, { WORKER_CONCURRENCY: '10' });

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await env.cleanup();
  });

  it('leaves nothing done twice and nothing undone once the batches are redelivered', async () => {
    const db = env.container.db;
    const waiter = await addWorkflow(env.container, accountId, {
      id: 'waiter',
      name: 'Waiter',
      trigger: { type: 'manual' },
      steps: [
        { id: 'wait', type: 'wait', duration: '1h', event: 'settled', onEvent: 'thanks' },
        { id: 'thanks', type: 'add_tag', tag: 'settled' },
      ],
    });
    const greeter = await addWorkflow(env.container, accountId, {
      id: 'greeter',
      name: 'Greeter',
      trigger: { type: 'event', event: 'settled' },
      steps: [{ id: 'greet', type: 'add_tag', tag: 'greeted' }],
    });
    // CONTACTS contacts, each with a run standing at its wait (as the step processor leaves it).
    await db.query(
      `WITH c AS (
         INSERT INTO contacts (account_id, email) SELECT $1, 'killed' || n || '@example.com' FROM generate_series(1, $3::int) n
         RETURNING id
       ), r AS (
         INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, wait_event, wait_until, trigger)
         SELECT $1, $2, 1, id, 'waiting', 'wait', 'settled', now() + interval '1 hour', '{"type":"manual","data":{}}' FROM c
         RETURNING id
       )
       INSERT INTO run_steps (run_id, step_id, type, seq, status, output)
       SELECT id, 'wait', 'wait', 0, 'waiting', '{"wait":{"onEvent":"thanks"}}' FROM r`,
      [accountId, waiter.id, CONTACTS],
    );
    const contacts = (await db.query('SELECT id FROM contacts WHERE account_id = $1 AND email LIKE $2', [
      accountId,
      'killed%',
    ])) as { id: string }[];

    const poll = new Client({ connectionString: env.config.DATABASE_URL });
    await poll.connect();
    try {
      const resumed = async () =>
        Number((await poll.query('SELECT count(*) AS n FROM run_steps WHERE resumed_by_event IS NOT NULL')).rows[0].n);
      const victim = await startWorker();
      await db.transaction((tx) =>
        appendEvents(
          tx,
          contacts.map((contact) => ({ accountId, type: 'settled', contactId: contact.id })),
        ),
      );
      // Killed while the batches are under way: some waits resumed, not all.
      let atKill = 0;
      while (atKill === 0) {
        atKill = await resumed();
        if (atKill === 0) await sleep(2);
      }
      await victim.stop('SIGKILL');
      expect(atKill).toBeLessThan(CONTACTS);

      await startWorker();
      await waitFor(
        async () =>
          Number(
            (
              await poll.query(`SELECT count(*) AS n FROM runs WHERE status = 'completed' AND workflow_id = ANY ($1)`, [
                [waiter.id, greeter.id],
              ])
            ).rows[0].n,
          ) ===
          2 * CONTACTS,
        { timeoutMs: 90_000, what: 'every run completed' },
      );

      // One greeter run per contact, started by its contact's event.
      const greeted = (
        await poll.query(
          `SELECT r.contact_id, e.contact_id AS event_contact FROM runs r
           JOIN outbox_events e ON e.id = (r.trigger->>'eventId')::bigint WHERE r.workflow_id = $1`,
          [greeter.id],
        )
      ).rows as { contact_id: string; event_contact: string }[];
      expect(greeted).toHaveLength(CONTACTS);
      expect(new Set(greeted.map((run) => run.contact_id)).size).toBe(CONTACTS);
      for (const run of greeted) expect(run.event_contact).toBe(run.contact_id);
      // Every wait resumed once, by its own contact's event; no run took a step twice.
      const waits = (
        await poll.query(
          `SELECT r.contact_id, e.contact_id AS event_contact, s.attempts FROM run_steps s JOIN runs r ON r.id = s.run_id
           JOIN outbox_events e ON e.id = s.resumed_by_event WHERE r.workflow_id = $1 AND s.step_id = 'wait'`,
          [waiter.id],
        )
      ).rows as { contact_id: string; event_contact: string }[];
      expect(waits).toHaveLength(CONTACTS);
      for (const wait of waits) expect(wait.event_contact).toBe(wait.contact_id);
      const steps = (
        await poll.query(
          `SELECT s.step_id, count(*)::int AS n FROM run_steps s JOIN runs r ON r.id = s.run_id
           WHERE r.workflow_id = ANY ($1) GROUP BY s.step_id ORDER BY s.step_id`,
          [[waiter.id, greeter.id]],
        )
      ).rows as { step_id: string; n: number }[];
      expect(steps).toEqual([
        { step_id: 'greet', n: CONTACTS },
        { step_id: 'thanks', n: CONTACTS },
        { step_id: 'wait', n: CONTACTS },
      ]);
    } finally {
      await poll.end();
    }
  });
});
