import type { Container } from '../container';
import { jobIds } from '../queue/job-ids';
import { sleep } from '../lib/sleep';
import { listenForOutbox } from './outbox-signal';
import { claimUnpublishedEvents, markEventsPublished, type UnpublishedEventRow } from './outbox-store';

/** `appointment.*` and `link.*` events go to the `bookings` queue, every other event to `events`. */
export function isBookingEvent(type: string): boolean {
  return type.startsWith('appointment.') || type.startsWith('link.');
}

/** Events that also send the booking's emails (an `appointment.notify` job beside `booking.process`). */
export function notifiesAppointment(type: string): boolean {
  return type === 'appointment.booked' || type === 'appointment.rescheduled' || type === 'appointment.cancelled';
}

export interface OutboxRelayOptions {
  /** Events moved per transaction. Default 500. */
  batchSize?: number;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

/**
 * Moves committed outbox events into their queue (`events`, or `bookings` for booking events; an
 * event of the campaign lane to that lane's queue, src/queue/run-lanes.ts). Each batch is locked (SKIP LOCKED, so any
 * number of relays can run), added to BullMQ with deterministic job ids, then marked published in
 * the same transaction: if Redis is down the transaction rolls back and the events wait their turn.
 */
export function startOutboxRelay(c: Container, options: OutboxRelayOptions = {}): OutboxRelay {
  const batchSize = options.batchSize ?? 500;
  const log = c.logger.child({ component: 'outbox-relay' });
  let running = true;
  let failing = false;
  const signal = listenForOutbox(c.config.DATABASE_URL, log);

  const relayBatch = () =>
    c.db.transaction(async (tx) => {
      const rows = await claimUnpublishedEvents(tx, batchSize);
      if (rows.length === 0) return 0;
      const toJob = (row: UnpublishedEventRow) => ({
        payload: { eventId: row.id },
        options: { jobId: jobIds.event(row.id), lane: row.lane },
      });
      // Booking events have their own queue and worker (src/roles/worker.ts).
      await c.queues.addBulk('event.process', rows.filter((row) => !isBookingEvent(row.type)).map(toJob));
      await c.queues.addBulk('booking.process', rows.filter((row) => isBookingEvent(row.type)).map(toJob));
      // The emails are a job of their own, so a slow SMTP server never holds up resuming waiting runs.
      await c.queues.addBulk(
        'appointment.notify',
        rows
          .filter((row) => notifiesAppointment(row.type))
          .map((row) => ({ payload: { eventId: row.id }, options: { jobId: jobIds.notify(row.id) } })),
      );
      await markEventsPublished(
        tx,
        rows.map((row) => row.id),
      );
      return rows.length;
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
