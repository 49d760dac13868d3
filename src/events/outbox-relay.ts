import type { Container } from '../container';
import { jobIds } from '../queue/job-ids';
import type { RunLane } from '../queue/run-lanes';
import { sleep } from '../lib/sleep';
import { chunks } from '../lib/batches';
import { NOTIFY_EVENTS_PER_JOB } from '../queue/job-catalog';
import { listenForOutbox } from './outbox-signal';
import { relayUnpublishedEvents, type OutboxEventRow } from './outbox-store';

/** `appointment.*` and `link.*` events go to the `bookings` queue, every other event to `events`. */
export function isBookingEvent(type: string): boolean {
  return type.startsWith('appointment.') || type.startsWith('link.');
}

/** Events that also send the booking's emails (an `appointment.notify` job beside `booking.process`). */
export function notifiesAppointment(type: string): boolean {
  return type === 'appointment.booked' || type === 'appointment.rescheduled' || type === 'appointment.cancelled';
}

/** Events one `event.batch` job carries at most by default (OutboxRelayOptions.maxEventsPerJob). */
export const EVENTS_PER_JOB = 100;

export interface OutboxRelayOptions {
  /** Events moved per transaction. Default 500. */
  batchSize?: number;
  /** Events carried by one `event.batch` job at most. Default 100. */
  maxEventsPerJob?: number;
  /** Bytes of events (as JSON) carried by one `event.batch` job at most; a larger event goes alone. Default 256 KiB. */
  maxJobBytes?: number;
}

export interface EventBatchLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Cuts claimed events (in id order) into batches: one lane each (a lane is a queue), in id order, at
 * most `maxEvents` events and `maxBytes` of JSON each. An event larger than `maxBytes` is a batch alone.
 */
export function cutEventBatches(events: readonly OutboxEventRow[], limits: EventBatchLimits): OutboxEventRow[][] {
  const batches: OutboxEventRow[][] = [];
  const open = new Map<RunLane, { events: OutboxEventRow[]; bytes: number }>();
  for (const event of events) {
    const bytes = Buffer.byteLength(JSON.stringify(event));
    let batch = open.get(event.lane);
    if (batch && (batch.events.length >= limits.maxEvents || batch.bytes + bytes > limits.maxBytes)) batch = undefined;
    if (!batch) {
      batch = { events: [], bytes: 0 };
      batches.push(batch.events);
      open.set(event.lane, batch);
    }
    batch.events.push(event);
    batch.bytes += bytes;
  }
  return batches;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

/**
 * Moves committed outbox events into their queue (`events`, or `bookings` for booking events; an
 * event of the campaign lane to that lane's queue, src/queue/run-lanes.ts). Each batch is locked (SKIP LOCKED, so any
 * number of relays can run), added to BullMQ with deterministic job ids, then marked published in
 * the same transaction: if Redis is down the transaction rolls back and the events wait their turn.
 * The events of a transaction travel as jobs that carry them (see cutEventBatches): `event.batch` on
 * the events queue, `booking.batch` for booking events on the bookings queue; an appointment event
 * also goes in an `appointment.notify` job (the emails; one job per relay transaction's appointment
 * events, up to NOTIFY_EVENTS_PER_JOB, carrying them).
 */
export function startOutboxRelay(c: Container, options: OutboxRelayOptions = {}): OutboxRelay {
  const batchSize = options.batchSize ?? 500;
  const limits: EventBatchLimits = {
    maxEvents: options.maxEventsPerJob ?? EVENTS_PER_JOB,
    maxBytes: options.maxJobBytes ?? 256 * 1024,
  };
  const log = c.logger.child({ component: 'outbox-relay' });
  let running = true;
  let failing = false;
  const signal = listenForOutbox(c.config.DATABASE_URL, log);

  const addEventBatches = (name: 'event.batch' | 'booking.batch', rows: OutboxEventRow[]) =>
    c.queues.addBulk(
      name,
      cutEventBatches(rows, limits).map((events) => ({
        payload: { events },
        options: { jobId: jobIds.eventBatch(events[0]!.id, events[events.length - 1]!.id), lane: events[0]!.lane },
      })),
    );

  // The transaction's two round trips are in relayUnpublishedEvents: BEGIN with the claim, the mark with the COMMIT.
  const relayBatch = () =>
    relayUnpublishedEvents(c.db, batchSize, async (rows) => {
      // One job per batch of events, carrying them: a run's few events cost one job, not one each.
      // Booking events have their own queue and worker (src/roles/worker.ts), in `booking.batch` jobs
      // cut the same way: 1,000 bookings a second are a few jobs, not 2,000 (src/triggers/booking-batch.ts).
      await addEventBatches(
        'event.batch',
        rows.filter((row) => !isBookingEvent(row.type)),
      );
      await addEventBatches(
        'booking.batch',
        rows.filter((row) => isBookingEvent(row.type)),
      );
      // The emails are a job of their own, so a slow SMTP server never holds up resuming waiting runs:
      // one per (up to) NOTIFY_EVENTS_PER_JOB appointment events, which it carries (no read by id).
      await c.queues.addBulk(
        'appointment.notify',
        chunks(
          rows.filter((row) => notifiesAppointment(row.type)),
          NOTIFY_EVENTS_PER_JOB,
        ).map((events) => ({
          payload: { events },
          options: { jobId: jobIds.notify(events[0]!.id, events[events.length - 1]!.id) },
        })),
      );
    });

  const loop = (async () => {
    while (running) {
      try {
        const moved = await relayBatch();
        if (failing) log.info('outbox relay recovered');
        failing = false;
        // Woken by the NOTIFY of a committed event; the poll is the safety net.
        if (moved < batchSize) await signal.wait(c.config.OUTBOX_POLL_MS);
      } catch (error) {
        if (!failing)
          log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'outbox relay cannot publish, retrying',
          );
        failing = true;
        await sleep(1000);
      }
    }
  })();

  return {
    async stop() {
      running = false;
      await signal.close();
      await loop;
    },
  };
}
