import type { Container } from '../container';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { OutboxEventRow } from '../events/outbox-store';
import { jobIds } from '../queue/job-ids';
import { processEvents } from './event-batch';

/**
 * `booking.batch`: the booking events (`appointment.*`, `link.*`) of one relay transaction, carried
 * by the job, processed as `event.batch` processes the others (src/triggers/event-batch.ts): a few
 * statements for the whole batch instead of a `booking.process` job, an event read and its lookups
 * per event. Effectively-once rests on PostgreSQL (enrol keys, run_steps.resumed_by_event), so a
 * batch processed twice, or cut differently by a relay that crashed before its commit, does nothing
 * twice. If the batch fails, each event becomes a `booking.process` job of its own (id `event.<id>`,
 * read by id, on the bookings queue or its lane's), so a poison event fails alone; not when
 * PostgreSQL is unreachable (the worker waits that out and runs the batch again), nor for a batch of
 * one, whose failure is the job's, retried by BullMQ.
 */
export async function processBookingBatch(c: Container, events: readonly OutboxEventRow[]): Promise<void> {
  try {
    await processEvents(c, events);
  } catch (error) {
    if (events.length === 1 || isDatabaseUnavailable(error)) throw error;
    c.logger.warn(
      { err: error, firstEventId: events[0]!.id, lastEventId: events[events.length - 1]!.id, events: events.length },
      'booking batch failed: its events are retried one by one',
    );
    await c.queues.addBulk(
      'booking.process',
      events.map((event) => ({
        payload: { eventId: event.id },
        options: { jobId: jobIds.event(event.id), lane: event.lane },
      })),
    );
  }
}
