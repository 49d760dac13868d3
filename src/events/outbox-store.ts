import type { Db, Tx } from '../db/data-source';
import { poolOf, sendScript, withPoolClient } from '../db/pg-client';
import { execute, queryRows } from '../db/sql';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { RunLane } from '../queue/run-lanes';
import { OUTBOX_CHANNEL } from './outbox-signal';

/** An event as stored in outbox_events and handed to the event worker. */
export interface OutboxEventRow {
  id: string;
  account_id: string;
  type: string;
  contact_id: string | null;
  data: Record<string, unknown>;
  /** The lane of the work that appended it (src/events/event-lane.ts); the runs it starts are on it too. */
  lane: RunLane;
}

/** The columns of OutboxEventRow. */
const EVENT_COLUMNS = 'id, account_id, type, contact_id, data, lane';

/** An event to insert. */
export interface NewOutboxEvent {
  accountId: string;
  type: string;
  contactId: string | null;
  data: Record<string, unknown>;
  lane: RunLane;
}

/**
 * Inserts an event and, in the same round trip, notifies the relay; PostgreSQL delivers the NOTIFY
 * only when the transaction commits. Returns the event's id.
 */
export async function insertOutboxEvent(tx: Tx, event: NewOutboxEvent): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `WITH inserted AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data, lane) VALUES ($1, $2, $3, $4, $5) RETURNING id
     )
     SELECT id, pg_notify('${OUTBOX_CHANNEL}', '') FROM inserted`,
    [event.accountId, event.type, event.contactId, JSON.stringify(event.data), event.lane],
  );
  return rows[0]!.id;
}

/**
 * Inserts many events in one statement, in the order given, with one notification: a bulk change
 * (a contact import's batch) costs one round trip instead of one per event.
 */
export async function insertOutboxEvents(tx: Tx, events: NewOutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await execute(
    tx,
    `WITH inserted AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data, lane)
       SELECT (e.event->>'accountId')::uuid, e.event->>'type', (e.event->>'contactId')::uuid, e.event->'data',
              e.event->>'lane'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(event, n)
        ORDER BY e.n
       RETURNING 1
     )
     SELECT pg_notify('${OUTBOX_CHANNEL}', '') WHERE EXISTS (SELECT 1 FROM inserted)`,
    [JSON.stringify(events)],
  );
}

/**
 * The outbox half of a statement that changes a record and records the events of that change in
 * the same round trip: one statement commits (or fails) whole, so its events commit exactly with
 * the change, with or without a transaction around it. A CTE named `name` that inserts the rows of
 * `source`, a SELECT of (account_id, type, contact_id, data, n) over the statement's earlier CTEs,
 * in `n` order, on the lane bound to `laneParam` (e.g. `$5`). Each inserted row notifies the relay
 * as insertOutboxEvent does (PostgreSQL folds a transaction's identical notifications into one and
 * delivers it on commit). The statement should read the CTE (`(SELECT count(*) FROM <name>)`), so
 * that the notifications are certainly evaluated and the caller learns how many events it wrote.
 */
export function outboxInsertCte(options: { name: string; source: string; laneParam: string }): string {
  return `${options.name} AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data, lane)
       SELECT e.account_id, e.type, e.contact_id, e.data, ${options.laneParam}::text
         FROM (${options.source}) e
        ORDER BY e.n
       RETURNING pg_notify('${OUTBOX_CHANNEL}', '')
     )`;
}

/**
 * outboxInsertCte for a batch statement whose CTE `w` holds each write's events as a JSON array of
 * `{type, data}` (`w.events`), with the write's place (`w.n`) and lane (`w.lane`): one event per
 * element, of the rows `from` joins to their write (e.g. `inserted i JOIN w ON w.id = i.id`), whose
 * account and contact are the expressions `accountId` and `contactId`; in write order, then in each
 * write's order.
 */
export function writesOutboxInsertCte(options: { name: string; from: string; accountId: string; contactId: string }) {
  return outboxInsertCte({
    name: options.name,
    laneParam: 'e.lane',
    source: `SELECT ${options.accountId} AS account_id, e.event->>'type' AS type, ${options.contactId} AS contact_id,
                    e.event->'data' AS data, w.lane, row_number() OVER (ORDER BY w.n, e.k) AS n
               FROM ${options.from}, jsonb_array_elements(w.events::jsonb) WITH ORDINALITY AS e(event, k)`,
  });
}

/**
 * One relay transaction in two round trips: BEGIN with the claim of the oldest `limit` unpublished
 * events, whole (an `event.batch` job carries them, so its worker never reads them again), locked
 * until the transaction ends (SKIP LOCKED: a batch another relay holds is passed over, so any number
 * of relays can run); then, once `publish` has handed them to
 * their queues, their mark with the COMMIT. Nothing is marked unless `publish` succeeded: a failure
 * anywhere rolls the transaction back and the events wait for the next attempt. The events' ids and
 * `limit` are written into the statements (the simple protocol takes no parameters), each checked to
 * be an integer first. Returns how many events were moved.
 */
export async function relayUnpublishedEvents(
  db: Db,
  limit: number,
  publish: (rows: OutboxEventRow[]) => Promise<void>,
): Promise<number> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`relay limit must be a positive integer: ${limit}`);
  const pool = poolOf(db.manager);
  if (!pool) throw new Error('the database is not connected');
  const tx = db.manager;
  return withPoolClient(pool, async (client) => {
    try {
      const [, claimed] = await sendScript(tx, client, [
        'BEGIN',
        `SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      ]);
      const rows = claimed!.rows as OutboxEventRow[];
      if (rows.length === 0) {
        await sendScript(tx, client, ['COMMIT']);
        return 0;
      }
      await publish(rows);
      const ids = rows.map((row) => {
        if (!/^\d+$/.test(row.id)) throw new Error('an outbox event id that is no integer');
        return row.id;
      });
      await sendScript(tx, client, [
        `UPDATE outbox_events SET published_at = now() WHERE id = ANY ('{${ids.join(',')}}'::bigint[])`,
        'COMMIT',
      ]);
      return rows.length;
    } catch (error) {
      // A connection that is gone is dropped by withPoolClient; any other goes back to the pool clean.
      if (!isDatabaseUnavailable(error)) await sendScript(tx, client, ['ROLLBACK']);
      throw error;
    }
  });
}

/** The events of these ids that are still there, in id order (pruned ones are gone). */
export async function findOutboxEvents(tx: Tx, eventIds: string[]): Promise<OutboxEventRow[]> {
  return queryRows<OutboxEventRow>(
    tx,
    `SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE id = ANY ($1::bigint[]) ORDER BY id`,
    [eventIds],
  );
}

/** The event the relay handed to the event worker; null when it is gone. */
export async function findOutboxEvent(tx: Tx, eventId: string): Promise<OutboxEventRow | null> {
  const rows = await queryRows<OutboxEventRow>(tx, `SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE id = $1`, [
    eventId,
  ]);
  return rows[0] ?? null;
}

/**
 * Deletes up to `limit` events published before `before`, oldest first, by the partial index
 * `outbox_events_published`; returns how many. One short statement: nothing reads a published
 * event but the jobs that process it, which the retention job waits for (outbox-retention.ts).
 * `= ANY (ARRAY(…))`, not `IN (…)`: the batch's rows are then deleted by primary key, where a
 * semi-join may be planned as a scan of the whole table.
 */
export async function deletePublishedEvents(tx: Tx, options: { before: Date; limit: number }): Promise<number> {
  const rows = await queryRows<{ deleted: number }>(
    tx,
    `WITH gone AS (
       DELETE FROM outbox_events WHERE id = ANY (ARRAY(
         SELECT id FROM outbox_events WHERE published_at IS NOT NULL AND published_at < $1 ORDER BY published_at LIMIT $2))
       RETURNING 1
     )
     SELECT count(*)::int AS deleted FROM gone`,
    [options.before, options.limit],
  );
  return rows[0]?.deleted ?? 0;
}

/**
 * When the first event from `eventId` on (by id) was published, or created if it is not yet; null
 * when there is none. By primary key.
 */
export async function eventTimeFrom(tx: Tx, eventId: string): Promise<Date | null> {
  const rows = await queryRows<{ at: Date }>(
    tx,
    'SELECT coalesce(published_at, created_at) AS at FROM outbox_events WHERE id >= $1 ORDER BY id LIMIT 1',
    [eventId],
  );
  return rows[0]?.at ?? null;
}
