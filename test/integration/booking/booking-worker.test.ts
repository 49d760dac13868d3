import request from 'supertest';
import { processEvent } from '../../../src/triggers/event-processor';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { expireLinks } from '../../../src/links/link-expiry';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { bookingApi, bookPath, listen, type BookingApi } from './booking-helpers';

describe('the booking worker', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let workers: RunningWorkers;
  let api: BookingApi;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    http = await listen(env.container);
    api = bookingApi(http.server, apiKey);
    await api.createCalendar({ slug: 'worker-cal', name: 'Demo' });
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await http.close();
    await env.cleanup();
  });

  const fieldsOf = async (contactId: string): Promise<{ tags: string[]; custom_fields: Record<string, string> }> =>
    (await env.container.db.query('SELECT tags, custom_fields FROM contacts WHERE id = $1', [contactId]))[0];

  it('resumes a run waiting for the booking to onEvent, enrols triggered workflows, and shows the appointment to templates', async () => {
    const invite = await addWorkflow(env.container, accountId, {
      id: 'invite',
      name: 'Invite to book',
      trigger: { type: 'event', event: 'invite' },
      steps: [
        { id: 'mint', type: 'generate_one_time_link', calendar: 'worker-cal', saveTo: 'bookingUrl' },
        { id: 'remember', type: 'update_contact', set: { 'customFields.fromStep': '{{steps.mint.url}}' } },
        {
          id: 'wait',
          type: 'wait',
          duration: '1h',
          event: 'appointment.booked',
          onEvent: 'booked',
          onTimeout: 'nudge',
        },
        { id: 'nudge', type: 'add_tag', tag: 'nudged', next: 'done' },
        {
          id: 'booked',
          type: 'update_contact',
          set: {
            'customFields.bookedStart': '{{appointment.start}}',
            'customFields.rescheduleUrl': '{{appointment.rescheduleUrl}}',
            'customFields.cancelUrl': '{{appointment.cancelUrl}}',
          },
        },
        { id: 'done', type: 'end' },
      ],
    });
    const onBooked = await addWorkflow(env.container, accountId, {
      id: 'on-booked',
      name: 'Booked',
      trigger: { type: 'appointment.booked', calendar: 'worker-cal' },
      steps: [
        {
          id: 'note',
          type: 'update_contact',
          set: {
            'customFields.triggeredStart': '{{appointment.start}}',
            'customFields.via': '{{trigger.data.linkId}}',
          },
        },
      ],
    });
    const otherCalendar = await addWorkflow(env.container, accountId, {
      id: 'other-calendar',
      name: 'Another calendar',
      trigger: { type: 'appointment.booked', calendar: 'not-this-one' },
      steps: [{ id: 'noop', type: 'end' }],
    });
    // Two more runs wait for the same booking event, each narrowed to a calendar.
    const narrowWait = (id: string, calendar: string) => ({
      id,
      name: id,
      trigger: { type: 'event', event: 'invite' },
      steps: [
        { id: 'wait', type: 'wait', duration: '1h', event: 'appointment.booked', calendar },
        { id: 'done', type: 'end' },
      ],
    });
    const sameCalendar = await addWorkflow(env.container, accountId, narrowWait('wait-same-calendar', 'worker-cal'));
    const elsewhere = await addWorkflow(env.container, accountId, narrowWait('wait-elsewhere', 'not-this-one'));
    const onCancelled = await addWorkflow(env.container, accountId, {
      id: 'on-cancelled',
      name: 'Cancelled',
      trigger: { type: 'appointment.cancelled' },
      steps: [{ id: 'tag', type: 'add_tag', tag: 'cancelled' }],
    });

    const contact = await addContact(env.container, accountId, { email: 'booker@example.com', firstName: 'Bea' });
    await request(http.server)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ type: 'invite', contactId: contact.id })
      .expect(202);
    const [run] = await waitFor(
      async () => {
        const runs = await runsOf(env.container, invite.id);
        return runs[0]?.status === 'waiting' ? runs : null;
      },
      { what: 'the invite run to wait' },
    );
    const before = await fieldsOf(contact.id);
    expect(before.custom_fields.fromStep).toBe(before.custom_fields.bookingUrl);
    const url = before.custom_fields.bookingUrl!;
    expect(url).toMatch(/^https:\/\/book\.example\.test\/book\//);

    const page = await request(http.server).get(bookPath(url)).set('Accept', 'application/json').expect(200);
    const slot = page.body.slots[0];
    const booked = await request(http.server)
      .post(bookPath(url))
      .set('Accept', 'application/json')
      .send({ start: slot.start })
      .expect(201);
    const appointment = booked.body.appointment;

    await waitFor(async () => (await runsOf(env.container, invite.id))[0]?.status === 'completed', {
      what: 'the invite run to complete',
    });
    const steps = await stepsOf(env.container, run!.id);
    expect(steps.map((step) => [step.step_id, step.status])).toEqual([
      ['mint', 'completed'],
      ['remember', 'completed'],
      ['wait', 'completed'],
      ['booked', 'completed'],
      ['done', 'completed'],
    ]);
    // run_steps keeps the link id, not the URL with its token; templates and the runs API get it back.
    const token = new URL(url).pathname.split('/').pop()!;
    // (A step that copies the URL into a field, like update_contact here or saveTo, stores it, as asked.)
    expect(steps[0]!.output).not.toHaveProperty('url');
    expect(JSON.stringify(steps[0]!.output)).not.toContain(token);
    const view = await request(http.server)
      .get(`/api/v1/runs/${run!.id}`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(view.body.steps[0].output).toEqual({ linkId: expect.any(String), url, expiresAt: expect.any(String) });
    await waitFor(async () => (await runsOf(env.container, onBooked.id))[0]?.status === 'completed', {
      what: 'the triggered run',
    });
    const after = await fieldsOf(contact.id);
    expect(after.custom_fields).toMatchObject({
      bookedStart: appointment.start,
      rescheduleUrl: appointment.rescheduleUrl,
      cancelUrl: appointment.cancelUrl,
      triggeredStart: appointment.start,
      via: steps[0]!.output && (steps[0]!.output as { linkId: string }).linkId,
    });
    expect(after.tags).not.toContain('nudged');
    expect(await runsOf(env.container, otherCalendar.id)).toHaveLength(0);
    await waitFor(async () => (await runsOf(env.container, sameCalendar.id))[0]?.status === 'completed', {
      what: 'the same-calendar wait',
    });
    expect((await runsOf(env.container, elsewhere.id))[0]?.status).toBe('waiting');

    // The booking events went through the bookings queue, not the events queue.
    const counts = await env.container.queues.queue('bookings').getJobCounts('completed');
    expect(counts.completed).toBeGreaterThanOrEqual(2);

    // Idempotent per event: processing the booking event again starts and resumes nothing.
    const [bookedEvent] = await env.container.db.query(
      `SELECT id FROM outbox_events WHERE type = 'appointment.booked'`,
    );
    await processEvent(env.container, bookedEvent.id);
    expect(await runsOf(env.container, onBooked.id)).toHaveLength(1);
    expect(await runsOf(env.container, invite.id)).toHaveLength(1);

    // Cancelling frees the slot and starts the appointment.cancelled workflow.
    await request(http.server)
      .post(new URL(appointment.cancelUrl).pathname)
      .set('Accept', 'application/json')
      .expect(200);
    await waitFor(async () => (await runsOf(env.container, onCancelled.id))[0]?.status === 'completed', {
      what: 'the cancelled run',
    });
    expect((await fieldsOf(contact.id)).tags).toContain('cancelled');
  });

  it('registers the expiry job to run every minute on the maintenance queue', async () => {
    const scheduler = await waitFor(() => env.container.queues.queue('maintenance').getJobScheduler('links.expire'), {
      what: 'the job scheduler',
    });
    expect(scheduler).toMatchObject({ key: 'links.expire', every: 60_000 });
    // And the other repeating maintenance jobs beside it (Queues.repeat).
    const maintenance = env.container.queues.queue('maintenance');
    for (const [key, every] of [
      ['runs.sweep', 60_000],
      ['retention.prune', 60_000],
      ['tables.analyze', 15_000],
    ] as const) {
      const other = await waitFor(() => maintenance.getJobScheduler(key), { what: `the ${key} scheduler` });
      expect(other).toMatchObject({ key, every });
    }
  });

  it('starts a link.expired workflow for a link that was never used', async () => {
    const neverBooked = await addWorkflow(env.container, accountId, {
      id: 'never-booked',
      name: 'Never booked',
      trigger: { type: 'link.expired', calendar: 'worker-cal' },
      steps: [{ id: 'tag', type: 'add_tag', tag: 'never-booked' }],
    });
    const calendarId: string = (await env.container.db.query(`SELECT id FROM calendars WHERE slug = 'worker-cal'`))[0]
      .id;
    const contact = await addContact(env.container, accountId, { email: 'ghost@example.com' });
    await api.mintLink(calendarId, { contactId: contact.id, expiresIn: '1s' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expireLinks(env.container.db);
    await waitFor(async () => (await runsOf(env.container, neverBooked.id))[0]?.status === 'completed', {
      what: 'the never-booked run',
    });
    expect((await fieldsOf(contact.id)).tags).toContain('never-booked');
  });
});
