import type { Container } from '../container';
import type { StartSteps } from '../engine/inline-start';
import type { OutboxEventRow } from '../events/outbox-store';
import { processBatchOrSplit } from './event-processor';

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
export function processBookingBatch(
  c: Container,
  events: readonly OutboxEventRow[],
  start?: StartSteps,
  owner?: string,
): Promise<void> {
  return processBatchOrSplit(c, events, 'booking.process', start, owner);
}
