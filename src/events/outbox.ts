import type { Tx } from '../db/data-source';
import { currentLane } from './event-lane';
import { insertOutboxEvent, insertOutboxEvents } from './outbox-store';

export interface OutboxEventInput {
  accountId: string;
  /**
   * A built-in trigger type (`contact.created`, `contact.tag_added`, `appointment.booked`, …), the
   * engine's own `linkflow.*` type, or a custom event's name as the caller sent it (matched by `event` triggers).
   */
  type: string;
  contactId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Records an event in the same transaction as the change that caused it. It is published to BullMQ
 * by the relay only once that transaction commits; a rollback leaves no event behind. It is on the
 * lane of the work at hand (src/events/event-lane.ts): a campaign's events queue apart.
 */
export async function appendEvent(tx: Tx, event: OutboxEventInput): Promise<string> {
  return insertOutboxEvent(tx, {
    accountId: event.accountId,
    type: event.type,
    contactId: event.contactId ?? null,
    data: event.data ?? {},
    lane: currentLane(),
  });
}

/** Records many events in one statement, in order; the same promise as appendEvent for each. */
export async function appendEvents(tx: Tx, events: readonly OutboxEventInput[]): Promise<void> {
  await insertOutboxEvents(
    tx,
    events.map((event) => ({
      accountId: event.accountId,
      type: event.type,
      contactId: event.contactId ?? null,
      data: event.data ?? {},
      lane: currentLane(),
    })),
  );
}
