import { randomUUID } from 'node:crypto';
import { onLane } from '../../../src/events/event-lane';
import { appendEvents, type OutboxEventInput } from '../../../src/events/outbox';
import { cutEventBatches } from '../../../src/events/outbox-relay';
import type { OutboxEventRow } from '../../../src/events/outbox-store';
import type { QueueName } from '../../../src/queue/job-catalog';
import { jobIds } from '../../../src/queue/job-ids';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

jest.setTimeout(60_000);

describe('cutting relayed events into batch jobs', () => {
  const event = (id: number, lane: OutboxEventRow['lane'] = 'interactive', size = 0): OutboxEventRow => ({
    id: String(id),
    account_id: randomUUID(),
    type: 'contact.created',
    contact_id: randomUUID(),
    data: size ? { blob: 'x'.repeat(size) } : {},
    lane,
  });
  const ids = (batches: OutboxEventRow[][]) => batches.map((batch) => batch.map((row) => Number(row.id)));

  it('keeps each batch to one lane, in id order, within the count and byte bounds', () => {
    const rows = [event(1), event(2, 'campaign'), event(3), event(4), event(5, 'campaign'), event(6)];
    expect(ids(cutEventBatches(rows, { maxEvents: 2, maxBytes: 1 << 20 }))).toEqual([
      [1, 3],
      [2, 5],
      [4, 6],
    ]);
    const big = [event(1), event(2, 'interactive', 600), event(3), event(4)];
    expect(ids(cutEventBatches(big, { maxEvents: 100, maxBytes: 700 }))).toEqual([[1], [2], [3, 4]]);
  });

  it('names a batch by its first and last event, and a batch of one as its event always was', () => {
    expect(jobIds.eventBatch(event(7).id, event(12).id)).toBe('events.7.12');
    expect(jobIds.eventBatch(event(7).id, event(7).id)).toBe(jobIds.event('7'));
  });
});

describe('relayed events processed in batches by the workers', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv({ CAMPAIGN_CONCURRENCY: '2' });
    ({ accountId } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers?.close();
    await env?.cleanup();
  });

  const db = () => env.container.db;
  const jobState = (queue: QueueName, jobId: string) => env.container.queues.queue(queue).getJobState(jobId);
  const eventIdsOf = async (type: string): Promise<string[]> =>
    ((await db().query('SELECT id FROM outbox_events WHERE type = $1 ORDER BY id', [type])) as { id: string }[]).map(
      (row) => row.id,
    );
  /** Waits until the relay has published every event so far: the next transaction's events are claimed alone. */
  const relayIdle = () =>
    waitFor(
      async () =>
        (
          (await db().query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL')) as {
            n: number;
          }[]
        )[0]!.n === 0,
      { what: 'the outbox relayed' },
    );
  const completedRuns = async (workflowId: string): Promise<{ contact_id: string; lane: string }[]> =>
    db().query(`SELECT contact_id, lane FROM runs WHERE workflow_id = $1 AND status = 'completed'`, [workflowId]);

  it('enrols the good events of a batch that holds a poison one; the poison fails in a job of its own', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'mixed',
      name: 'Mixed',
      trigger: { type: 'event', event: 'mixed' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'mixed-done' }],
    });
    const good = await Promise.all(
      [1, 2, 3].map((n) => addContact(env.container, accountId, { email: `mixed${n}@example.com` })),
    );
    const events: OutboxEventInput[] = good.map((contact) => ({ accountId, type: 'mixed', contactId: contact.id }));
    // No such contact: its enrolment breaks a foreign key, and with it the statement of its whole batch.
    events.splice(1, 0, { accountId, type: 'mixed', contactId: randomUUID() });
    await relayIdle();
    await db().transaction((tx) => appendEvents(tx, events));
    const [first, poison, ...rest] = await eventIdsOf('mixed');

    await waitFor(async () => (await completedRuns(workflow.id)).length === 3, { what: 'three completed runs' });

    expect((await completedRuns(workflow.id)).map((run) => run.contact_id).sort()).toEqual(
      good.map((contact) => contact.id).sort(),
    );
    // One relay transaction, one batch job; it fell back to one job per event and completed.
    expect(await jobState('events', `events.${first}.${rest[rest.length - 1]}`)).toBe('completed');
    for (const id of [first!, ...rest]) expect(await jobState('events', jobIds.event(id))).toBe('completed');
    const poisoned = await env.container.queues.queue('events').getJob(jobIds.event(poison!));
    expect(poisoned?.name).toBe('event.process');
    expect(poisoned?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(await poisoned?.getState()).not.toBe('completed');
  });

  it("relays a campaign's events as batches on the campaign lane's queue, and its runs stay on that lane", async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'lane-kept',
      name: 'Lane kept',
      trigger: { type: 'event', event: 'lane-kept' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'lane-kept-done' }],
    });
    const people = await Promise.all(
      [1, 2].map((n) => addContact(env.container, accountId, { email: `lane${n}@example.com` })),
    );
    await relayIdle();
    await onLane('campaign', () =>
      db().transaction((tx) =>
        appendEvents(
          tx,
          people.map((contact) => ({ accountId, type: 'lane-kept', contactId: contact.id })),
        ),
      ),
    );
    const [first, last] = await eventIdsOf('lane-kept');

    await waitFor(async () => (await completedRuns(workflow.id)).length === 2, { what: 'two completed runs' });

    expect((await completedRuns(workflow.id)).map((run) => run.lane)).toEqual(['campaign', 'campaign']);
    expect(await jobState('campaign-runs', `events.${first}.${last}`)).toBe('completed');
    expect(await jobState('events', `events.${first}.${last}`)).toBe('unknown');
  });
});
