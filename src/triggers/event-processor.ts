import type { Container } from '../container';
import { isDatabaseUnavailable } from '../db/unavailable';
import { findOutboxEvent, type OutboxEventRow } from '../events/outbox-store';
import type { StartSteps } from '../engine/inline-start';
import { jobIds } from '../queue/job-ids';
import { processEvents } from './event-batch';

/**
 * `event.process` (and `booking.process`): one relayed event, read by id. Enrols the contact in every
 * active workflow it triggers and resumes the contact's runs that wait for it. Idempotent: a
 * redelivered event finds its runs by enrol key, and its resumes by run_steps.resumed_by_event.
 */
export async function processEvent(c: Container, eventId: string, start?: StartSteps, owner?: string): Promise<void> {
  const event = await findOutboxEvent(c.db.manager, eventId);
  if (!event) return;
  await processEvents(c, [event], start, owner);
}

/**
 * `event.batch`: the events of one relay transaction, carried by the job. One bad event must neither
 * lose nor block the others: if the batch fails, each of its events becomes an `event.process` job of
 * its own (id `event.<id>`, read by id, its own attempts), so a poison event fails alone and the others
 * go through; whatever the batch committed before failing, they find and do not repeat. Not when
 * PostgreSQL is unreachable: the worker waits that out (src/queue/worker-factory.ts) and runs the
 * batch again. A batch of one is already alone: its failure is the job's, retried by BullMQ.
 */
export function processEventBatch(
  c: Container,
  events: readonly OutboxEventRow[],
  start?: StartSteps,
  owner?: string,
): Promise<void> {
  return processBatchOrSplit(c, events, 'event.process', start, owner);
}

/**
 * A batch of events (`event.batch`, `booking.batch`), or, when it fails for anything but PostgreSQL
 * being unreachable, each of its events as a `fallback` job of its own (id `event.<id>`, read by id,
 * on the event's lane). A batch of one fails as the job it is. `owner`: the batch's job id (see
 * processEvents), carried by the fallback jobs as theirs.
 */
export async function processBatchOrSplit(
  c: Container,
  events: readonly OutboxEventRow[],
  fallback: 'event.process' | 'booking.process',
  start?: StartSteps,
  owner?: string,
): Promise<void> {
  try {
    await processEvents(c, events, start, owner);
  } catch (error) {
    if (events.length === 1 || isDatabaseUnavailable(error)) throw error;
    c.logger.warn(
      { err: error, firstEventId: events[0]!.id, lastEventId: events[events.length - 1]!.id, events: events.length },
      `${fallback === 'event.process' ? 'event' : 'booking'} batch failed: its events are retried one by one`,
    );
    await c.queues.addBulk(
      fallback,
      events.map((event) => ({
        // The batch's job id: the runs it created are its events' jobs' to restart (event-batch.ts).
        payload: { eventId: event.id, ...(owner !== undefined && { batch: owner }) },
        options: { jobId: jobIds.event(event.id), lane: event.lane },
      })),
    );
  }
}
