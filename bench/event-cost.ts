/**
 * Cost of processing one event as the history grows: custom events for contacts waiting on them,
 * processed one at a time (`processEvent`, as the events worker calls it) with 0, 100,000 and
 * 200,000 finished runs in the tables, half of them to a contact with 5,000 past runs of its own
 * (what the planner sees for a seed address that every campaign reaches), while a 50,000-contact
 * campaign is under way. Flat numbers down the
 * table are the point: no statement on the event path reads a growing table whole.
 */
import { createContact } from '../src/contacts/contact-service';
import { appendEvent } from '../src/events/outbox';
import { processEvent } from '../src/triggers/event-processor';
import { createWorkflow } from '../src/workflows/workflow-repository';
import { createTestAccount, type TestEnv } from '../test/helpers/test-env';
import { recordStatements } from '../test/helpers/query-plans';
import { addHistoryCalendar, addLiveCampaign, addPastRunsOf, fillRunHistory } from '../test/helpers/run-history';

export interface EventCostRow {
  finishedRuns: number;
  msPerEvent: number;
  p99Ms: number;
  statementsPerEvent: number;
}

const EVENTS = Number(process.env.BENCH_EVENT_COST_EVENTS ?? 200);
const STEPS = [0, 100_000, 200_000];

/** Puts `count` runs waiting for `paid` (directly, as a wait step leaves them) and returns their contacts. */
async function waitingContacts(
  env: TestEnv,
  options: { accountId: string; workflowId: string; count: number; seedContactId: string; round: number },
) {
  const fresh: { id: string }[] = await env.container.db.query(
    `INSERT INTO contacts (account_id, email) SELECT $1, 'cost-' || $2::text || '-' || g || '@example.com' FROM generate_series(1, $3::int) g RETURNING id`,
    [options.accountId, options.round, options.count / 2],
  );
  const contacts = [
    ...fresh.map((row) => row.id),
    ...Array.from({ length: options.count / 2 }, () => options.seedContactId),
  ];
  await env.container.db.query(
    `WITH r AS (
       INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, wait_event, enrol_key)
       SELECT $1, $2, 1, contact_id, 'waiting', 'wait', '{"type":"manual","data":{}}', 'paid', 'cost:' || $4::text || ':' || n
       FROM unnest($3::uuid[]) WITH ORDINALITY AS c(contact_id, n)
       RETURNING id
     )
     INSERT INTO run_steps (run_id, step_id, type, seq, status, output) SELECT id, 'wait', 'wait', 0, 'waiting', '{"wait":{"event":"paid"}}' FROM r`,
    [options.accountId, options.workflowId, contacts, options.round],
  );
  return contacts;
}

export async function benchEventCost(env: TestEnv): Promise<EventCostRow[]> {
  const c = env.container;
  const { accountId } = await createTestAccount(c);
  const calendar = await addHistoryCalendar(c, accountId, 'Cost');
  const workflow = await c.db.transaction((tx) =>
    createWorkflow(
      tx,
      accountId,
      {
        id: 'cost',
        name: 'Cost',
        trigger: { type: 'manual' },
        steps: [
          { id: 'wait', type: 'wait', duration: '1h', event: 'paid' },
          { id: 'done', type: 'end' },
        ],
      },
      'api',
    ),
  );
  const seed = await c.db.transaction((tx) => createContact(tx, accountId, { email: 'seed@example.com' }));
  await addPastRunsOf(c, { accountId, workflowId: workflow.id, version: 1, contactId: seed.id, runs: 5_000 });
  // A campaign under way: many runs are `running`, so a contact's many runs may look live to the planner.
  await addLiveCampaign(c, { accountId, workflowId: workflow.id, version: 1, runs: 50_000, batch: 99 });
  const rows: EventCostRow[] = [];
  let filled = 0;
  for (const [round, target] of STEPS.entries()) {
    if (target > filled)
      await fillRunHistory(c, {
        accountId,
        workflowId: workflow.id,
        version: 1,
        calendarId: calendar.id,
        runs: target - filled,
        batch: round,
      });
    filled = target;
    await c.db.query('ANALYZE');
    const contacts = await waitingContacts(env, {
      accountId,
      workflowId: workflow.id,
      count: EVENTS,
      seedContactId: seed.id,
      round,
    });
    const events: string[] = [];
    await c.db.transaction(async (tx) => {
      for (const contactId of contacts)
        events.push(await appendEvent(tx, { accountId, type: 'paid', contactId, data: {} }));
    });
    const recording = recordStatements(c.db);
    const times: number[] = [];
    for (const eventId of events) {
      const started = process.hrtime.bigint();
      await processEvent(c, eventId);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    recording.stop();
    times.sort((a, b) => a - b);
    rows.push({
      finishedRuns: target,
      msPerEvent: times.reduce((sum, ms) => sum + ms, 0) / times.length,
      p99Ms: times[Math.min(times.length - 1, Math.floor(0.99 * times.length))]!,
      statementsPerEvent: recording.statements.length / events.length,
    });
  }
  return rows;
}
