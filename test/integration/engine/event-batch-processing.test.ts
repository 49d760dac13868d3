import { randomUUID } from 'node:crypto';
import { appendEvents, type OutboxEventInput } from '../../../src/events/outbox';
import type { OutboxEventRow } from '../../../src/events/outbox-store';
import { jobIds } from '../../../src/queue/job-ids';
import { processEventBatch } from '../../../src/triggers/event-processor';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { recordStatements } from '../../helpers/query-plans';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * `event.batch` processed by hand (no worker runs here): what a batch enrols and resumes, and that
 * processing the same batch again (a redelivery, BullMQ no longer keeping the job) changes nothing.
 */
describe('processing a batch of events', () => {
  let env: TestEnv;
  let accountId: string;
  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => env.cleanup());

  const db = () => env.container.db;

  /** Appends the events in one transaction and returns their rows, as the relay hands them over. */
  async function batchOf(events: OutboxEventInput[]): Promise<OutboxEventRow[]> {
    const before = await maxEventId();
    await db().transaction((tx) => appendEvents(tx, events));
    return db().query(
      'SELECT id, account_id, type, contact_id, data, lane FROM outbox_events WHERE id > $1 ORDER BY id',
      [before],
    );
  }
  const maxEventId = async () =>
    ((await db().query('SELECT coalesce(max(id), 0) AS id FROM outbox_events')) as { id: string }[])[0]!.id;
  const runsOf = (workflowId: string): Promise<{ id: string; contact_id: string; event_id: string }[]> =>
    db().query(
      `SELECT id, contact_id, trigger->>'eventId' AS event_id FROM runs WHERE workflow_id = $1 ORDER BY contact_id, started_at`,
      [workflowId],
    );
  const contacts = (slug: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) => addContact(env.container, accountId, { email: `${slug}${i}@example.com` })),
    );
  const stepJob = (runId: string, stepId: string) =>
    env.container.queues.queue('steps').getJob(jobIds.step(runId, stepId));

  it('enrols each (event, workflow) once, with re-entry rules applied inside the batch, in a few statements', async () => {
    const once = await addWorkflow(env.container, accountId, {
      id: 'vip-once',
      name: 'VIP once',
      trigger: { type: 'contact.tag_added', tag: 'vip' },
      steps: [{ id: 'greet', type: 'add_tag', tag: 'greeted' }],
    });
    const again = await addWorkflow(env.container, accountId, {
      id: 'signed-again',
      name: 'Signed again',
      allowReentry: true,
      trigger: { type: 'event', event: 'signed' },
      steps: [{ id: 'note', type: 'add_tag', tag: 'noted' }],
    });
    const signedOnce = await addWorkflow(env.container, accountId, {
      id: 'signed-once',
      name: 'Signed once',
      trigger: { type: 'event', event: 'signed' },
      steps: [{ id: 'note', type: 'add_tag', tag: 'noted-once' }],
    });
    const people = await contacts('batch', 5);
    const events: OutboxEventInput[] = people.flatMap((contact) => [
      { accountId, type: 'contact.tag_added', contactId: contact.id, data: { tag: 'VIP' } },
      { accountId, type: 'signed', contactId: contact.id },
    ]);
    // The first contact twice more: a second `vip` tag and a second `signed` in the same batch.
    events.push(
      { accountId, type: 'contact.tag_added', contactId: people[0]!.id, data: { tag: 'vip' } },
      { accountId, type: 'signed', contactId: people[0]!.id },
      { accountId, type: 'contact.tag_added', contactId: people[1]!.id, data: { tag: 'other' } },
    );
    const batch = await batchOf(events);

    const recorder = recordStatements(db());
    try {
      await processEventBatch(env.container, batch);
    } finally {
      recorder.stop();
    }

    // The workflows of (account, contact.tag_added) and of (account, event): one lookup for both; every
    // enrolment in one statement; every wait and earlier resume of the batch's events in one more.
    // (Each workflow version is read once per process, then cached: not counted.)
    const statements = recorder.statements.filter((statement) => !statement.sql.includes('FROM workflow_versions'));
    expect(statements).toHaveLength(3);
    expect(statements.filter((statement) => /JOIN workflows w\b/.test(statement.sql))).toHaveLength(1);
    const firstOf = (contactId: string, type: string) =>
      batch.find((event) => event.contact_id === contactId && event.type === type)!.id;
    const byContact = (runs: { contact_id: string; event_id: string }[]) =>
      runs.map((run) => [run.contact_id, run.event_id]).sort();
    // Without re-entry, a contact's first matching event of the batch enrols it; the second does not.
    expect(byContact(await runsOf(once.id))).toEqual(
      people.map((contact) => [contact.id, firstOf(contact.id, 'contact.tag_added')]).sort(),
    );
    expect(byContact(await runsOf(signedOnce.id))).toEqual(
      people.map((contact) => [contact.id, firstOf(contact.id, 'signed')]).sort(),
    );
    // With re-entry, every matching event starts a run.
    expect(byContact(await runsOf(again.id))).toEqual(
      batch
        .filter((event) => event.type === 'signed')
        .map((event) => [event.contact_id, event.id])
        .sort(),
    );
    for (const [workflow, step] of [
      [once, 'greet'],
      [again, 'note'],
      [signedOnce, 'note'],
    ] as const) {
      for (const run of await runsOf(workflow.id))
        expect((await stepJob(run.id, step))?.data).toEqual({ runId: run.id, stepId: step });
    }
  });

  it('creates nothing twice when the same batch is processed again, and enqueues what the first lost', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'redelivered',
      name: 'Redelivered',
      allowReentry: true,
      trigger: { type: 'event', event: 'redelivered' },
      steps: [{ id: 'first', type: 'add_tag', tag: 'first' }],
    });
    const people = await contacts('again', 3);
    const batch = await batchOf(people.map((contact) => ({ accountId, type: 'redelivered', contactId: contact.id })));
    await processEventBatch(env.container, batch);
    const runs = await runsOf(workflow.id);
    expect(runs).toHaveLength(3);
    // The crash: the enrolment committed, but one run's first step never reached Redis.
    await env.container.queues.queue('steps').remove(jobIds.step(runs[0]!.id, 'first'));

    await processEventBatch(env.container, batch);
    await processEventBatch(env.container, batch.slice(1));

    expect(await runsOf(workflow.id)).toEqual(runs);
    expect((await stepJob(runs[0]!.id, 'first'))?.data).toEqual({ runId: runs[0]!.id, stepId: 'first' });
  });

  it('creates one run per event and workflow when two deliveries of a batch race', async () => {
    const workflows = await Promise.all(
      [true, false].map((allowReentry) =>
        addWorkflow(env.container, accountId, {
          id: `raced-${allowReentry}`,
          name: `Raced ${allowReentry}`,
          allowReentry,
          trigger: { type: 'event', event: 'raced' },
          steps: [{ id: 'first', type: 'add_tag', tag: 'raced' }],
        }),
      ),
    );
    const people = await contacts('raced', 20);
    const batch = await batchOf(people.map((contact) => ({ accountId, type: 'raced', contactId: contact.id })));
    // The second delivery sees the keys in reverse: it still waits for them in the same order.
    const reversed = [...batch].reverse();

    await Promise.all([processEventBatch(env.container, batch), processEventBatch(env.container, reversed)]);

    for (const workflow of workflows) expect(await runsOf(workflow.id)).toHaveLength(20);
    // Neither delivery failed over to one job per event.
    for (const event of batch)
      expect(await env.container.queues.queue('events').getJob(jobIds.event(event.id))).toBeUndefined();
  });

  it('resumes a wait once: by the first of two events of a batch, never again by a redelivered one', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'pays',
      name: 'Pays',
      trigger: { type: 'manual' },
      steps: [
        { id: 'first', type: 'wait', duration: '1h', event: 'paid', onEvent: 'thanks' },
        { id: 'thanks', type: 'add_tag', tag: 'paid' },
        { id: 'second', type: 'wait', duration: '1h', event: 'paid' },
        { id: 'done', type: 'add_tag', tag: 'paid-twice' },
      ],
    });
    const [payer] = await contacts('payer', 1);
    // A run standing at its first wait, as the step processor leaves it (no worker runs in this test).
    const [run] = (await db().query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, wait_event, trigger)
       VALUES ($1, $2, 1, $3, 'waiting', 'first', 'paid', '{"type":"manual","data":{}}') RETURNING id`,
      [accountId, workflow.id, payer!.id],
    )) as { id: string }[];
    await db().query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, output) VALUES ($1, 'first', 'wait', 0, 'waiting', '{"wait":{"onEvent":"thanks"}}')`,
      [run!.id],
    );
    const batch = await batchOf([
      { accountId, type: 'paid', contactId: payer!.id, data: { n: 1 } },
      { accountId, type: 'paid', contactId: payer!.id, data: { n: 2 } },
    ]);

    await processEventBatch(env.container, batch);

    const [first] = await stepsOf(env.container, run!.id);
    expect(first).toMatchObject({ step_id: 'first', status: 'completed' });
    expect(first!.output).toMatchObject({ resumedByEvent: batch[0]!.id, event: { data: { n: 1 } } });
    expect((await stepJob(run!.id, 'thanks'))?.data).toEqual({ runId: run!.id, stepId: 'thanks' });

    // The run went on to its second wait for `paid` (as a worker would take it there).
    await db().query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status) VALUES ($1, 'thanks', 'add_tag', 1, 'completed')`,
      [run!.id],
    );
    await db().query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, output) VALUES ($1, 'second', 'wait', 2, 'waiting', '{"wait":{}}')`,
      [run!.id],
    );
    await db().query(
      `UPDATE runs SET status = 'waiting', current_step_id = 'second', wait_event = 'paid' WHERE id = $1`,
      [run!.id],
    );

    // The first event again (BullMQ forgot its job; the relay, after a crash, cut it into a batch of
    // its own): it resumed this run already, so it does not end the second wait.
    await processEventBatch(env.container, batch.slice(0, 1));
    await processEventBatch(env.container, batch.slice(0, 1));

    const steps = await stepsOf(env.container, run!.id);
    expect(steps.map((step) => [step.step_id, step.status])).toEqual([
      ['first', 'completed'],
      ['thanks', 'completed'],
      ['second', 'waiting'],
    ]);
  });

  it('handles the internal events of a batch one by one, beside the contact events', async () => {
    const manual = await addWorkflow(env.container, accountId, {
      id: 'by-hand',
      name: 'By hand',
      trigger: { type: 'manual' },
      steps: [{ id: 'start', type: 'add_tag', tag: 'by-hand' }],
    });
    const triggered = await addWorkflow(env.container, accountId, {
      id: 'by-event',
      name: 'By event',
      trigger: { type: 'event', event: 'by-event' },
      steps: [{ id: 'start', type: 'add_tag', tag: 'by-event' }],
    });
    const [contact] = await contacts('internal', 1);
    const runId = randomUUID();
    const batch = await batchOf([
      { accountId, type: 'by-event', contactId: contact!.id },
      { accountId, type: 'linkflow.enrol', contactId: contact!.id, data: { workflowId: manual.id, runId } },
    ]);

    await processEventBatch(env.container, batch);
    await processEventBatch(env.container, batch);

    expect((await runsOf(manual.id)).map((run) => run.id)).toEqual([runId]);
    expect(await runsOf(triggered.id)).toHaveLength(1);
    expect((await stepJob(runId, 'start'))?.data).toEqual({ runId, stepId: 'start' });
  });

  it('hands every event of a failing batch to a job of its own, read by id', async () => {
    await addWorkflow(env.container, accountId, {
      id: 'poisoned',
      name: 'Poisoned',
      trigger: { type: 'event', event: 'poisoned' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'marked' }],
    });
    const [good] = await contacts('unpoisoned', 1);
    // No such contact: enrolling it breaks workflow_enrolments' foreign key, and with it the batch's statement.
    const batch = await batchOf([
      { accountId, type: 'poisoned', contactId: good!.id },
      { accountId, type: 'poisoned', contactId: randomUUID() },
    ]);

    // As the worker runs it: the batch's job id names whose the runs it created are.
    await processEventBatch(env.container, batch, undefined, 'batch-job');

    const events = env.container.queues.queue('events');
    for (const event of batch) {
      const job = await events.getJob(jobIds.event(event.id));
      // Each carries the batch's job id: the runs that batch created are its events' jobs' to restart.
      expect({ name: job?.name, data: job?.data }).toEqual({
        name: 'event.process',
        data: { eventId: event.id, batch: 'batch-job' },
      });
    }
    // A batch of one is its own job already: its failure is that job's, retried by BullMQ.
    await expect(processEventBatch(env.container, batch.slice(1))).rejects.toMatchObject({ code: '23503' });
  });
});
