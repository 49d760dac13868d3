import request from 'supertest';
import { startOutboxRelay } from '../../../src/events/outbox-relay';
import type { OutboxEventRow } from '../../../src/events/outbox-store';
import { processBookingBatch } from '../../../src/triggers/booking-batch';
import { waitFor, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { bookPath, startBookingFixture, type BookingApi, type BookingFixture } from './booking-helpers';

/**
 * Booking events travel in `booking.batch` jobs that carry them (src/triggers/booking-batch.ts):
 * processing a batch enrols each event's contact once, however often the batch is delivered.
 */
describe('a batch of booking events', () => {
  let booking: BookingFixture;
  let env: TestEnv;
  let http: BookingFixture['http'];
  let api: BookingApi;
  let accountId: string;
  let calendarId: string;

  beforeAll(async () => {
    booking = await startBookingFixture({ slug: 'batch-cal', durationMinutes: 30 });
    ({ env, http, api, accountId, calendarId } = booking);
  });
  afterAll(() => booking.close());

  it('is relayed as one job that carries its events, and enrols each booking once when processed twice', async () => {
    const booked = await addWorkflow(env.container, accountId, {
      id: 'on-booked',
      name: 'On booked',
      trigger: { type: 'appointment.booked', calendar: 'batch-cal' },
      steps: [{ id: 'tag', type: 'add_tag', tag: 'booked' }],
    });
    const redeemed = await addWorkflow(env.container, accountId, {
      id: 'on-redeemed',
      name: 'On redeemed',
      trigger: { type: 'link.redeemed', calendar: 'batch-cal' },
      steps: [{ id: 'tag', type: 'add_tag', tag: 'redeemed' }],
    });
    const slots = await api.slots(calendarId);
    const contactIds: string[] = [];
    for (const i of [0, 1, 2]) {
      const contact = await addContact(env.container, accountId, { email: `batch-${i}@example.com` });
      contactIds.push(contact.id);
      const link = await api.mintLink(calendarId, { contactId: contact.id });
      await request(http.server)
        .post(bookPath(link.url))
        .set('Accept', 'application/json')
        .send({ start: slots[i * 2]!.start })
        .expect(201);
    }
    const events: OutboxEventRow[] = await env.container.db.query(
      `SELECT id::text AS id, account_id, type, contact_id, data, lane FROM outbox_events
        WHERE type IN ('appointment.booked', 'link.redeemed') ORDER BY id`,
    );
    expect(events).toHaveLength(6);

    // The relay (no workers running) sends them as one job that carries them, beside one email job for all.
    const relay = startOutboxRelay(env.container);
    try {
      await waitFor(
        async () =>
          (
            (await env.container.db.query(
              'SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL',
            )) as {
              n: number;
            }[]
          )[0]!.n === 0,
      );
    } finally {
      await relay.stop();
    }
    const jobs = await env.container.queues.queue('bookings').getJobs(['wait', 'prioritized', 'delayed']);
    const names = jobs.map((job) => job.name).sort();
    expect(names).toEqual(['appointment.notify', 'booking.batch']);
    const bookedIds = events.filter((event) => event.type === 'appointment.booked').map((event) => event.id);
    const emails = jobs.find((job) => job.name === 'appointment.notify')!;
    expect(emails.id).toBe(`notify.${bookedIds[0]}.${bookedIds[2]}`);
    // The emails' job carries its events too (the notify job reads none of them back).
    expect(emails.data).toEqual({ events: events.filter((event) => event.type === 'appointment.booked') });
    const batch = jobs.find((job) => job.name === 'booking.batch')!;
    expect(batch.id).toBe(`events.${events[0]!.id}.${events[5]!.id}`);
    expect((batch.data as { events: OutboxEventRow[] }).events).toEqual(events);

    await processBookingBatch(env.container, events);
    await processBookingBatch(env.container, events);
    // A relay that crashed before its commit may cut the batch differently the next time.
    await processBookingBatch(env.container, events.slice(1, 4));

    for (const workflow of [booked, redeemed]) {
      const runs = await runsOf(env.container, workflow.id);
      expect(runs.map((run) => run.contact_id).sort()).toEqual([...contactIds].sort());
    }
  });
});
