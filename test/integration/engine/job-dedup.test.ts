import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { bookAppointment } from '../../../src/booking/appointment-service';
import { createCalendar } from '../../../src/booking/calendar-service';
import { appendEvent } from '../../../src/events/outbox';
import { urlSignerOf } from '../../../src/lib/signed-tokens';
import { loadTemplates } from '../../../src/messaging/template-store';
import type { QueueName } from '../../../src/queue/job-catalog';
import { jobIds } from '../../../src/queue/job-ids';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY } from '../booking/booking-helpers';
import { importFinished, uploadCsv } from '../contacts/import-helpers';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../../..');

/**
 * BullMQ keeps a completed job only a while (DEFAULT_JOB_OPTIONS): a job id added again after that
 * is a new job, and runs. Each kind of job is run here, its completed job removed from Redis, and
 * the same job added again and run by the workers: PostgreSQL (step claims, enrol keys, message
 * keys, the import cursor) must make that second run do nothing twice.
 */
describe('a job run again after BullMQ no longer keeps its completed job', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let hooks: CaptureServer;
  let smtp: SmtpSink;
  let app: Express;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    hooks = await startCaptureServer();
    smtp = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://book.example.test' });
    await loadTemplates(path.join(ROOT, 'templates'));
    ({ accountId, apiKey } = await createTestAccount(env.container));
    app = createApp(env.container);
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers?.close();
    await hooks?.close();
    await smtp?.close();
    await env?.cleanup();
  });

  const db = () => env.container.db;
  const hooksFor = (tag: string) => hooks.requests.filter((request) => request.url === `/${tag}`);
  const hook = (id: string, tag: string) => ({ id, type: 'webhook', url: `${hooks.url}/${tag}`, body: { tag } });
  const jobState = (queue: QueueName, jobId: string) => env.container.queues.queue(queue).getJobState(jobId);

  /** Waits for the job to complete, removes it from Redis, runs `add` (the same job id) and waits for that run. */
  async function runAgain(queue: QueueName, jobId: string, add: () => Promise<void>): Promise<void> {
    await waitFor(async () => (await jobState(queue, jobId)) === 'completed', { what: `${jobId} completed` });
    await env.container.queues.queue(queue).remove(jobId);
    expect(await jobState(queue, jobId)).toBe('unknown');
    await add();
    await waitFor(async () => (await jobState(queue, jobId)) === 'completed', { what: `${jobId} completed again` });
  }

  /**
   * A run an event started runs its first steps in the event's job (src/engine/inline-start.ts): no
   * step job ever held them. One added now for its first step (as after a crash of that job, whose
   * redelivery adds it) must find the step done.
   */
  async function stepJobForStartedRun(jobId: string, runId: string, stepId: string): Promise<void> {
    expect(await jobState('steps', jobId)).toBe('unknown');
    await env.container.queues.add('step.execute', { runId, stepId }, { jobId });
    await waitFor(async () => (await jobState('steps', jobId)) === 'completed', { what: `${jobId} completed` });
  }

  /**
   * An event processed again by its own `event.process` job. The relay may have sent it in a batch
   * (`events.<first>.<last>`) rather than as `event.<id>`: then there is no `event.<id>` to remove.
   */
  async function processEventAgain(eventId: string): Promise<void> {
    const jobId = jobIds.event(eventId);
    await waitFor(async () => ['completed', 'unknown'].includes(await jobState('events', jobId)), {
      what: `${jobId} completed or never added`,
    });
    await env.container.queues.queue('events').remove(jobId);
    expect(await jobState('events', jobId)).toBe('unknown');
    await env.container.queues.add('event.process', { eventId }, { jobId });
    await waitFor(async () => (await jobState('events', jobId)) === 'completed', { what: `${jobId} completed again` });
  }

  const emit = (type: string, contactId: string, data: Record<string, unknown> = {}) =>
    db().transaction((tx) => appendEvent(tx, { accountId, type, contactId, data }));
  const runOf = async (workflowId: string, status: string) =>
    waitFor(async () => (await runsOf(env.container, workflowId)).find((run) => run.status === status), {
      what: `a ${status} run`,
    });

  it('step.execute: a completed step is not executed again, nor is the email sent twice', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'step-again',
      name: 'Step again',
      trigger: { type: 'event', event: 'step-again' },
      steps: [hook('hook', 'step-again'), { id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello' }],
    });
    const contact = await addContact(env.container, accountId, { email: 'step-again@example.com' });
    await emit('step-again', contact.id);
    const run = await runOf(workflow.id, 'completed');
    const jobId = jobIds.step(run.id, 'hook');

    await stepJobForStartedRun(jobId, run.id, 'hook');

    expect(hooksFor('step-again')).toHaveLength(1);
    expect(smtp.accepted.filter((mail) => mail.to.includes('step-again@example.com'))).toHaveLength(1);
    expect((await stepsOf(env.container, run.id)).map((step) => [step.step_id, step.attempts])).toEqual([
      ['hook', 1],
      ['mail', 1],
    ]);
  });

  it('step.execute: a run waiting at a later step stays there, with one timer', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'step-waits',
      name: 'Step waits',
      trigger: { type: 'event', event: 'step-waits' },
      steps: [hook('hook', 'step-waits'), { id: 'pause', type: 'wait', duration: '1h', event: 'never' }],
    });
    const contact = await addContact(env.container, accountId, { email: 'step-waits@example.com' });
    await emit('step-waits', contact.id);
    const run = await runOf(workflow.id, 'waiting');
    const jobId = jobIds.step(run.id, 'hook');

    await stepJobForStartedRun(jobId, run.id, 'hook');

    expect(hooksFor('step-waits')).toHaveLength(1);
    expect((await runsOf(env.container, workflow.id)).map((row) => row.status)).toEqual(['waiting']);
    expect(await jobState('steps', jobIds.timeout(run.id, 'pause'))).toBe('delayed');
  });

  it('step.timeout: a wait that timed out is not resumed again', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'timer-again',
      name: 'Timer again',
      trigger: { type: 'event', event: 'timer-again' },
      steps: [{ id: 'pause', type: 'wait', duration: '1s' }, hook('hook', 'timer-again')],
    });
    const contact = await addContact(env.container, accountId, { email: 'timer-again@example.com' });
    await emit('timer-again', contact.id);
    const run = await runOf(workflow.id, 'completed');
    const jobId = jobIds.timeout(run.id, 'pause');

    await runAgain('steps', jobId, () =>
      env.container.queues.add('step.timeout', { runId: run.id, stepId: 'pause' }, { jobId }),
    );

    expect(hooksFor('timer-again')).toHaveLength(1);
    expect((await stepsOf(env.container, run.id)).map((step) => [step.step_id, step.status])).toEqual([
      ['pause', 'completed'],
      ['hook', 'completed'],
    ]);
  });

  it('event.process: an event processed again starts no second run', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'event-again',
      name: 'Event again',
      trigger: { type: 'event', event: 'event-again' },
      steps: [hook('hook', 'event-again')],
    });
    const contact = await addContact(env.container, accountId, { email: 'event-again@example.com' });
    const eventId = await emit('event-again', contact.id);
    await runOf(workflow.id, 'completed');

    await processEventAgain(eventId);

    expect(await runsOf(env.container, workflow.id)).toHaveLength(1);
    expect(hooksFor('event-again')).toHaveLength(1);
  });

  it('event.process: an event that resumed a wait does not resume the next wait for the same event', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'paid-twice',
      name: 'Paid twice',
      trigger: { type: 'event', event: 'paid-twice' },
      steps: [
        { id: 'first', type: 'wait', duration: '1h', event: 'paid' },
        hook('between', 'paid-between'),
        { id: 'second', type: 'wait', duration: '1h', event: 'paid' },
        hook('after', 'paid-after'),
      ],
    });
    const contact = await addContact(env.container, accountId, { email: 'paid-twice@example.com' });
    await emit('paid-twice', contact.id);
    const run = await runOf(workflow.id, 'waiting');
    const paid = await emit('paid', contact.id);
    await waitFor(async () => (await stepsOf(env.container, run.id)).some((step) => step.step_id === 'second'), {
      what: 'the second wait',
    });

    await processEventAgain(paid);

    expect(hooksFor('paid-between')).toHaveLength(1);
    expect(hooksFor('paid-after')).toHaveLength(0);
    const steps = await stepsOf(env.container, run.id);
    expect(steps.map((step) => [step.step_id, step.status])).toEqual([
      ['first', 'completed'],
      ['between', 'completed'],
      ['second', 'waiting'],
    ]);
  });

  describe('a booking', () => {
    let booked: { eventId: string; appointmentId: string; workflowId: string };

    beforeAll(async () => {
      const calendar = await db().transaction((tx) =>
        createCalendar(tx, accountId, {
          name: 'Dedup call',
          timezone: 'UTC',
          availability: ALL_DAY,
          ownerName: 'Olive Owner',
          ownerEmail: 'owner@example.com',
        }),
      );
      const workflow = await addWorkflow(env.container, accountId, {
        id: 'on-booked',
        name: 'On booked',
        trigger: { type: 'appointment.booked', calendar: calendar.id },
        steps: [hook('hook', 'on-booked')],
      });
      const contact = await addContact(env.container, accountId, { email: 'booker@example.com' });
      const start = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 9));
      const appointment = await db().transaction((tx) =>
        bookAppointment(tx, {
          calendar,
          contactId: contact.id,
          linkId: null,
          slot: { start, end: new Date(start.getTime() + 30 * 60_000) },
          urls: urlSignerOf(env.config),
        }),
      );
      const [event] = (await db().query(
        `SELECT id FROM outbox_events WHERE type = 'appointment.booked' AND data->>'appointmentId' = $1`,
        [appointment.id],
      )) as { id: string }[];
      booked = { eventId: event!.id, appointmentId: appointment.id, workflowId: workflow.id };
      await runOf(workflow.id, 'completed');
    });

    it('booking.process: starts no second run', async () => {
      const jobId = jobIds.event(booked.eventId);
      await runAgain('bookings', jobId, () =>
        env.container.queues.add('booking.process', { eventId: booked.eventId }, { jobId }),
      );
      expect(await runsOf(env.container, booked.workflowId)).toHaveLength(1);
      expect(hooksFor('on-booked')).toHaveLength(1);
    });

    it('appointment.notify: sends the confirmation and the owner notice once', async () => {
      const jobId = jobIds.notify(booked.eventId);
      await waitFor(() => smtp.accepted.filter((mail) => mail.messageId?.includes(booked.appointmentId)).length === 2, {
        what: 'both emails',
      });
      await runAgain('bookings', jobId, () =>
        env.container.queues.add('appointment.notify', { eventId: booked.eventId }, { jobId }),
      );
      expect(smtp.accepted.filter((mail) => mail.messageId?.includes(booked.appointmentId))).toHaveLength(2);
      const messages: { kind: string }[] = await db().query(
        'SELECT kind FROM messages WHERE appointment_id = $1 ORDER BY kind',
        [booked.appointmentId],
      );
      expect(messages.map((message) => message.kind)).toEqual(['confirmation', 'owner_notice']);
    });
  });

  it('campaign.batch: a batch enrolled again starts no second run of any contact', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'campaign-again',
      name: 'Campaign again',
      trigger: { type: 'manual' },
      steps: [hook('hook', 'campaign-again')],
    });
    for (const n of [1, 2, 3])
      await addContact(env.container, accountId, { email: `campaign-${n}@example.com`, tags: ['campaign-again'] });
    const campaignId = randomUUID();
    const payload = { campaignId, accountId, workflowId: workflow.id, tag: 'campaign-again', after: null };
    const jobId = jobIds.campaignBatch(campaignId, null);
    await env.container.queues.add('campaign.batch', payload, { jobId });
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).filter((run) => run.status === 'completed').length === 3,
      {
        what: 'three completed runs',
      },
    );

    await runAgain('campaigns', jobId, () => env.container.queues.add('campaign.batch', payload, { jobId }));

    expect(await runsOf(env.container, workflow.id)).toHaveLength(3);
    expect(hooksFor('campaign-again')).toHaveLength(3);
  });

  it('contacts.import: a slice run again imports and counts no row twice', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'imported',
      name: 'Imported',
      trigger: { type: 'contact.tag_added', tag: 'imported' },
      steps: [hook('hook', 'imported')],
    });
    const csv = ['email,first_name', 'ia@example.com,Ia', 'ib@example.com,Ib', 'ic@example.com,Ic'].join('\n');
    const upload = await uploadCsv(app, apiKey, csv, { tags: 'imported' }).expect(202);
    const importId = (upload.body as { id: string }).id;
    const done = await importFinished(app, apiKey, importId);
    expect(done).toMatchObject({ status: 'completed', processed: 3, created: 3, updated: 0, failed: 0 });
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).filter((run) => run.status === 'completed').length === 3,
      {
        what: 'three imported runs',
      },
    );

    const jobId = jobIds.contactImport(importId, 0);
    await runAgain('campaigns', jobId, () =>
      env.container.queues.add('contacts.import', { importId, from: 0 }, { jobId }),
    );

    expect(await importFinished(app, apiKey, importId)).toMatchObject({ processed: 3, created: 3, updated: 0 });
    const tagged: { n: number }[] = await db().query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE account_id = $1 AND type = 'contact.tag_added' AND data->>'tag' = 'imported'`,
      [accountId],
    );
    expect(tagged[0]!.n).toBe(3);
    expect(await runsOf(env.container, workflow.id)).toHaveLength(3);
    expect(hooksFor('imported')).toHaveLength(3);
  });
});
