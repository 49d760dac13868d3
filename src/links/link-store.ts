import type { Tx } from '../db/data-source';
import { checkedOnRow } from '../db/row-check';
import { execute, queryRows } from '../db/sql';
import { calendarVersionOf } from '../booking/calendar-store';
import { cursorTimeSql } from '../lib/keyset-cursor';
import {
  appointmentColumnsOf,
  bookedAppointmentInsertCte,
  type AppointmentRow,
  type NewAppointment,
} from '../booking/appointment-store';
import type { NewOutboxEvent } from '../events/outbox-store';
import { writesOutboxInsertCte } from '../events/outbox-store';

/** Every statement on `one_time_links`. Tokens never reach this table: only sha256(token) and the salt it was derived with. */

export const LINK_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

const LINK_COLUMNS = `id, account_id, calendar_id, contact_id, token_salt, status, uses, max_uses, expires_at, redeemed_at,
  run_id, step_id, created_at, first_viewed_at`;

export interface LinkRow {
  id: string;
  account_id: string;
  calendar_id: string;
  contact_id: string | null;
  token_salt: string;
  status: LinkStatus;
  uses: number;
  max_uses: number;
  expires_at: Date;
  redeemed_at: Date | null;
  run_id: string | null;
  step_id: string | null;
  created_at: Date;
  /** When its booking page was first opened (GET): analytics only, never part of any decision. */
  first_viewed_at: Date | null;
}

export interface NewLink {
  id: string;
  accountId: string;
  calendarId: string;
  contactId: string | null;
  tokenHash: string;
  salt: string;
  maxUses: number;
  expiresInMs: number;
  runId: string | null;
  stepId: string | null;
}

/** Null when this (run, step) has minted its link already: ON CONFLICT keeps the caller's transaction usable. */
export async function insertLink(tx: Tx, link: NewLink): Promise<LinkRow | null> {
  const rows = await queryRows<LinkRow>(
    tx,
    `INSERT INTO one_time_links (id, account_id, calendar_id, contact_id, token_hash, token_salt, status, max_uses, expires_at, run_id, step_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, now() + $8 * interval '1 millisecond', $9, $10)
     ON CONFLICT (run_id, step_id) DO NOTHING RETURNING ${LINK_COLUMNS}`,
    [
      link.id,
      link.accountId,
      link.calendarId,
      link.contactId,
      link.tokenHash,
      link.salt,
      link.maxUses,
      link.expiresInMs,
      link.runId,
      link.stepId,
    ],
  );
  return rows[0] ?? null;
}

/** The link a workflow step minted. */
export async function findLinkByOrigin(tx: Tx, origin: { runId?: string; stepId?: string }): Promise<LinkRow | null> {
  const rows = await queryRows<LinkRow>(
    tx,
    `SELECT ${LINK_COLUMNS} FROM one_time_links WHERE run_id = $1 AND step_id = $2`,
    [origin.runId, origin.stepId],
  );
  return rows[0] ?? null;
}

export async function findLinkOfAccount(tx: Tx, accountId: string, linkId: string): Promise<LinkRow | null> {
  const rows = await queryRows<LinkRow>(
    tx,
    `SELECT ${LINK_COLUMNS} FROM one_time_links WHERE id = $1 AND account_id = $2`,
    [linkId, accountId],
  );
  return rows[0] ?? null;
}

export async function findLinkByTokenHash(tx: Tx, hash: string): Promise<LinkRow | null> {
  const rows = await queryRows<LinkRow>(tx, `SELECT ${LINK_COLUMNS} FROM one_time_links WHERE token_hash = $1`, [hash]);
  return rows[0] ?? null;
}

export async function linkExistsWithTokenHash(tx: Tx, hash: string): Promise<boolean> {
  const rows = await queryRows<unknown>(tx, 'SELECT 1 FROM one_time_links WHERE token_hash = $1', [hash]);
  return rows.length > 0;
}

const CALENDAR_VERSION_SQL = calendarVersionOf('one_time_links');

/**
 * Whether the link row `alias` can be spent once more: active, unexpired and under its max_uses. Checked
 * on the row found by its key (row-check.ts), never through the partial index of active links.
 */
const spendable = (alias: string): string =>
  checkedOnRow(`${alias}.status = 'active' AND ${alias}.expires_at > now() AND ${alias}.uses < ${alias}.max_uses`);

/** A link whose use was just spent, with the version of its calendar's row (see consumeLinkUse). */
export interface ConsumedLink extends LinkRow {
  /**
   * `<xmin>/<updated_at>` of the calendar's row as this statement read it: it changes with every
   * update of the calendar, so a booking can reuse a calendar it parsed before (src/booking/calendar-cache.ts)
   * instead of reading it again. Null if the calendar is gone.
   */
  calendar_version: string | null;
}

/**
 * Spends one use, only if the link is active, unexpired and under maxUses; null otherwise. Of 50
 * concurrent calls on a single-use link, the first takes the row lock and the other 49 re-check
 * the condition after it commits, find it used, and get null.
 */
export async function consumeLinkUse(tx: Tx, hash: string): Promise<ConsumedLink | null> {
  const rows = await queryRows<ConsumedLink>(
    tx,
    `UPDATE one_time_links
     SET uses = uses + 1, status = CASE WHEN uses + 1 >= max_uses THEN 'used' ELSE 'active' END, redeemed_at = now()
     WHERE token_hash = $1 AND ${spendable('one_time_links')}
     RETURNING ${LINK_COLUMNS}, ${CALENDAR_VERSION_SQL} AS calendar_version`,
    [hash],
  );
  return rows[0] ?? null;
}

/** A link by its token's hash, with its calendar's version (see ConsumedLink), for the one-statement booking. */
export async function findLinkForRedemption(tx: Tx, hash: string): Promise<ConsumedLink | null> {
  return (await findLinksForRedemption(tx, [hash]))[0]!;
}

/**
 * findLinkForRedemption for many hashes in one statement (the concurrent bookings' reads, see
 * link-read-batch.ts): one answer per hash, in order, null for an unknown one.
 */
export async function findLinksForRedemption(tx: Tx, hashes: string[]): Promise<(ConsumedLink | null)[]> {
  if (hashes.length === 0) return [];
  const rows = await queryRows<ConsumedLink & { token_hash: string }>(
    tx,
    `SELECT ${LINK_COLUMNS}, ${CALENDAR_VERSION_SQL} AS calendar_version, token_hash
       FROM one_time_links WHERE token_hash = ANY ($1::text[])`,
    [hashes],
    { prepare: 'links-for-redemption' },
  );
  const byHash = new Map(rows.map(({ token_hash: hash, ...link }) => [hash, link as ConsumedLink]));
  return hashes.map((hash) => byHash.get(hash) ?? null);
}

export interface SpendAndBook {
  hash: string;
  /** The link as read just before: the statement spends it only if it is still so (same uses, same calendar version). */
  seen: ConsumedLink;
  /** Its account, calendar, contact and link are the link's own. */
  appointment: NewAppointment;
  /** The booking's events, inserted in this order on `lane`. */
  events: Pick<NewOutboxEvent, 'type' | 'data'>[];
  lane: NewOutboxEvent['lane'];
}

/**
 * Spends one use of a link, books its appointment and records the events, in ONE statement (one
 * commit without BEGIN/COMMIT around it): everything or nothing. The link is spent on consumeLinkUse's
 * conditions (active, unexpired, under max_uses, so racing requests queue on its row lock and re-check)
 * and only if it is as `seen` was read (same uses, same calendar version, a contact of its own), so
 * what the caller decided from it (the slot is on that calendar's grid) still holds. Null, with nothing
 * written, when it is not: the caller takes the transaction path (redeem-link.ts), which gives the
 * answer. An overlapping booked appointment fails the statement with 23P01, leaving the link unspent.
 */
export async function spendLinkAndBook(tx: Tx, booking: SpendAndBook): Promise<SpentAndBooked | null> {
  return (await spendLinksAndBook(tx, [booking]))[0]!;
}

/** What spendLinkAndBook answers for one booking. */
export type SpentAndBooked = { link: Pick<LinkRow, 'uses' | 'status' | 'redeemed_at'>; appointment: AppointmentRow };

/**
 * spendLinkAndBook for many bookings in one statement (the concurrent bookings of an API process,
 * link-spend-batch.ts): each link spent on the same conditions, its appointment inserted and its
 * events recorded on its lane, one answer per booking in order, null for a link not as it was read.
 * No two bookings of one link may share the statement. An overlap of any appointment with a booked
 * one, or of two of the statement's, fails the whole statement with 23P01 (the batch is then written
 * booking by booking, so that only the one whose slot is taken gets its 409).
 */
export async function spendLinksAndBook(tx: Tx, bookings: SpendAndBook[]): Promise<(SpentAndBooked | null)[]> {
  if (bookings.length === 0) return [];
  const column = <T>(pick: (booking: SpendAndBook) => T): T[] => bookings.map(pick);
  const rows = await queryRows<
    AppointmentRow & { n: number; link_uses: number; link_status: LinkStatus; link_redeemed_at: Date; events: number }
  >(
    tx,
    `WITH w AS MATERIALIZED (
       SELECT (w.k - 1)::int AS n, w.*
         FROM unnest($1::text[], $2::uuid[], $3::int[], $4::uuid[], $5::uuid[], $6::text[], $7::uuid[],
                     $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
              WITH ORDINALITY AS w(hash, link_id, uses, contact_id, calendar_id, calendar_version, appointment_id,
                                   start_at, end_at, token_salt, reschedule_token_hash, cancel_token_hash, events, lane, k)
     ),
     spent AS (
       UPDATE one_time_links l
       SET uses = l.uses + 1, status = CASE WHEN l.uses + 1 >= l.max_uses THEN 'used' ELSE 'active' END, redeemed_at = now()
       FROM w
       WHERE l.id = w.link_id AND l.token_hash = w.hash AND l.uses = w.uses AND l.contact_id = w.contact_id
         AND l.calendar_id = w.calendar_id AND ${calendarVersionOf('l')} = w.calendar_version
         -- Still live, checked on the row found by its key (and again on its newer version after a racing
         -- booking's commit), never through the partial index of active links (row-check.ts).
         AND ${spendable('l')}
       RETURNING w.n, l.id, l.account_id, l.calendar_id, l.contact_id, l.uses, l.status, l.redeemed_at
     ),
     ${bookedAppointmentInsertCte({
       name: 'booked',
       source: `SELECT w.appointment_id AS id, s.account_id, s.calendar_id, s.contact_id, s.id AS link_id, w.start_at,
                       w.end_at, w.token_salt, w.reschedule_token_hash, w.cancel_token_hash
                  FROM spent s JOIN w ON w.n = s.n ORDER BY s.n`,
     })},
     ${writesOutboxInsertCte({
       name: 'outbox',
       from: 'booked b JOIN w ON w.appointment_id = b.id',
       accountId: 'b.account_id',
       contactId: 'b.contact_id',
     })}
     SELECT s.n, ${appointmentColumnsOf('b')}, s.uses AS link_uses, s.status AS link_status,
            s.redeemed_at AS link_redeemed_at, (SELECT count(*) FROM outbox)::int AS events
       FROM booked b JOIN spent s ON s.id = b.link_id`,
    [
      column((b) => b.hash),
      column((b) => b.seen.id),
      column((b) => b.seen.uses),
      column((b) => b.seen.contact_id),
      column((b) => b.seen.calendar_id),
      column((b) => b.seen.calendar_version),
      column((b) => b.appointment.id),
      column((b) => b.appointment.slot.start),
      column((b) => b.appointment.slot.end),
      column((b) => b.appointment.salt),
      column((b) => b.appointment.rescheduleTokenHash),
      column((b) => b.appointment.cancelTokenHash),
      column((b) => JSON.stringify(b.events)),
      column((b) => b.lane),
    ],
    { prepare: 'links-spend-and-book' },
  );
  const answers: (SpentAndBooked | null)[] = new Array(bookings.length).fill(null);
  for (const row of rows) {
    const {
      n,
      link_uses: uses,
      link_status: status,
      link_redeemed_at: redeemedAt,
      events: _events,
      ...appointment
    } = row;
    answers[n] = { link: { uses, status, redeemed_at: redeemedAt }, appointment };
  }
  return answers;
}

/** Null when the link is not active (any more). */
export async function markLinkRevoked(tx: Tx, linkId: string): Promise<LinkRow | null> {
  const rows = await queryRows<LinkRow>(
    tx,
    `UPDATE one_time_links SET status = 'revoked' WHERE id = $1 AND ${checkedOnRow("status = 'active'")} RETURNING ${LINK_COLUMNS}`,
    [linkId],
  );
  return rows[0] ?? null;
}

/** Revokes a contact's other active links to a calendar; returns how many. */
export async function markOtherLinksRevoked(
  tx: Tx,
  options: { contactId: string; calendarId: string; keepId: string },
): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `UPDATE one_time_links SET status = 'revoked'
     WHERE contact_id = $1 AND calendar_id = $2 AND id <> $3 AND status = 'active' RETURNING id`,
    [options.contactId, options.calendarId, options.keepId],
  );
  return rows.length;
}

export interface LinkPageFilter {
  contactId?: string;
  calendarId?: string;
  /** The effective status: an active link past its time is expired. */
  status?: LinkStatus;
  /** The id of the last link of the previous page. */
  after?: string;
  /** Rows to read (a page and one more, to know whether another page follows). */
  fetch: number;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function selectLinkPage(tx: Tx, accountId: string, filter: LinkPageFilter): Promise<LinkRow[]> {
  return queryRows<LinkRow>(
    tx,
    `SELECT ${LINK_COLUMNS} FROM one_time_links l
     WHERE account_id = $1 AND ($2::uuid IS NULL OR contact_id = $2) AND ($3::uuid IS NULL OR calendar_id = $3)
       AND ($4::text IS NULL OR (CASE WHEN status = 'active' AND expires_at <= now() THEN 'expired' ELSE status END) = $4)
       AND ($5::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM one_time_links WHERE id = $5 AND account_id = $1))
     ORDER BY created_at DESC, id DESC LIMIT $6`,
    [
      accountId,
      filter.contactId ?? null,
      filter.calendarId ?? null,
      filter.status ?? null,
      filter.after ?? null,
      filter.fetch,
    ],
  );
}

/** The newest link minted by hand for the calendar (no contact, no run) that nobody has used yet. */
export async function findUnusedSharedLink(tx: Tx, accountId: string, calendarId: string): Promise<LinkRow | null> {
  const rows = await queryRows<LinkRow>(
    tx,
    `SELECT ${LINK_COLUMNS} FROM one_time_links
     WHERE account_id = $1 AND calendar_id = $2 AND contact_id IS NULL AND run_id IS NULL
       AND status = 'active' AND uses = 0 AND expires_at > now()
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [accountId, calendarId],
  );
  return rows[0] ?? null;
}

/** Namespace of the shared-link advisory lock (the second key is the calendar): arbitrary but fixed. */
const SHARED_LINK_LOCK_NAMESPACE = 5_120_433;

/**
 * Holds the calendar's shared-link lock until the transaction ends, so "find the unused shared link
 * or mint one" runs one at a time per calendar: two Share dialogs opened at once get one link, not two.
 */
export async function lockSharedLinks(tx: Tx, calendarId: string): Promise<void> {
  await execute(tx, 'SELECT pg_advisory_xact_lock($1, hashtext($2))', [SHARED_LINK_LOCK_NAMESPACE, calendarId]);
}

/** The salts of these links (what their URLs are derived from), by link id; unknown ids are left out. */
export async function linkSalts(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  const rows = ids.length
    ? await queryRows<{ id: string; token_salt: string }>(
        tx,
        'SELECT id, token_salt FROM one_time_links WHERE id = ANY ($1::uuid[])',
        [ids],
      )
    : [];
  return new Map(rows.map((row) => [row.id, row.token_salt]));
}

export interface ExpiredLinkRow {
  id: string;
  account_id: string;
  calendar_id: string;
  calendar_slug: string;
  contact_id: string | null;
  uses: number;
  max_uses: number;
  expires_at: Date;
}

/**
 * Marks at most `batch` active links past their time `expired`, each once: the status flip is the
 * guard, and SKIP LOCKED lets concurrent callers split the work instead of waiting on each other.
 */
export async function markDueLinksExpired(tx: Tx, batch: number): Promise<ExpiredLinkRow[]> {
  return queryRows<ExpiredLinkRow>(
    tx,
    `UPDATE one_time_links l SET status = 'expired'
     FROM calendars c
     WHERE c.id = l.calendar_id AND l.status = 'active' AND l.id IN (
       SELECT id FROM one_time_links WHERE status = 'active' AND expires_at <= now()
       ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING l.id, l.account_id, l.calendar_id, c.slug AS calendar_slug, l.contact_id, l.uses, l.max_uses, l.expires_at`,
    [batch],
  );
}

/**
 * Records the first time the link's booking page was opened. Analytics only: it never touches the
 * status, uses or expiry, so a viewed link books exactly as an unviewed one. The IS NULL guard keeps
 * the first time when two views race; a link viewed before is a no-op (by primary key).
 */
export async function markLinkFirstViewed(tx: Tx, linkId: string): Promise<void> {
  await execute(tx, 'UPDATE one_time_links SET first_viewed_at = now() WHERE id = $1 AND first_viewed_at IS NULL', [
    linkId,
  ]);
}

/** Minted, opened (a first view) and booked (redeemed at least once): the links of a workflow's funnel. */
export interface LinkFunnelRow {
  minted: number;
  opened: number;
  booked: number;
}

/**
 * The links minted by a workflow's real runs (test runs left out) started in [from, to): the same
 * runs as its step funnel. About links: runs_workflow_started finds the runs, the (run_id, step_id)
 * unique index their links.
 */
export async function selectLinkFunnel(
  tx: Tx,
  options: { workflowId: string; from: Date; to: Date },
): Promise<LinkFunnelRow> {
  const rows = await queryRows<LinkFunnelRow>(
    tx,
    `SELECT count(l.id)::int AS minted, count(l.first_viewed_at)::int AS opened, count(l.redeemed_at)::int AS booked
     FROM runs r JOIN one_time_links l ON l.run_id = r.id
     WHERE r.workflow_id = $1 AND r.started_at >= $2 AND r.started_at < $3 AND NOT r.is_test`,
    [options.workflowId, options.from, options.to],
  );
  return rows[0] ?? { minted: 0, opened: 0, booked: 0 };
}

/**
 * The creation time of the contact's (offset + 1)-th newest link among those created before `before`
 * (all when null); null when there is none. The contact timeline's lower bound, from
 * one_time_links_contact_created.
 */
export async function contactLinkCreatedAt(
  tx: Tx,
  options: { accountId: string; contactId: string; before: string | null; offset: number },
): Promise<string | null> {
  const rows = await queryRows<{ at: string }>(
    tx,
    `SELECT ${cursorTimeSql('created_at')} AS at FROM one_time_links
     WHERE contact_id = $1 AND account_id = $2 AND ($3::timestamptz IS NULL OR created_at < $3)
     ORDER BY created_at DESC, id DESC OFFSET $4 LIMIT 1`,
    [options.contactId, options.accountId, options.before, options.offset],
  );
  return rows[0]?.at ?? null;
}

/** A link as the contact timeline shows it: its times as cursor times, its calendar's name, and whether it is expired by now. */
export interface TimelineLinkRow {
  id: string;
  calendar_id: string;
  calendar_name: string | null;
  status: LinkStatus;
  uses: number;
  max_uses: number;
  run_id: string | null;
  created_at_us: string;
  first_viewed_at_us: string | null;
  redeemed_at_us: string | null;
  expires_at_us: string;
  /** Expired, by its status or (still `active` until the expiry job passes) by its time. */
  expired: boolean;
}

/**
 * The contact's links created by `until` with a possible event at or after `since` (either bound
 * open when null). Every event of a link (minted, opened, used, expired) is at or before the later of
 * its expiry and its first view, which one_time_links_contact_last_event indexes. Joins the calendar
 * for its name; answers about links. Newest first, at most `limit`.
 */
export async function selectContactLinksInWindow(
  tx: Tx,
  options: { accountId: string; contactId: string; since: string | null; until: string | null; limit: number },
): Promise<TimelineLinkRow[]> {
  return queryRows<TimelineLinkRow>(
    tx,
    `SELECT l.id, l.calendar_id, (SELECT name FROM calendars c WHERE c.id = l.calendar_id) AS calendar_name, l.status,
       l.uses, l.max_uses, l.run_id, ${cursorTimeSql('l.created_at')} AS created_at_us,
       ${cursorTimeSql('l.first_viewed_at')} AS first_viewed_at_us, ${cursorTimeSql('l.redeemed_at')} AS redeemed_at_us,
       ${cursorTimeSql('l.expires_at')} AS expires_at_us,
       (l.status = 'expired' OR (l.status = 'active' AND l.expires_at <= now())) AS expired
     FROM one_time_links l
     WHERE l.contact_id = $1 AND l.account_id = $2 AND ($3::timestamptz IS NULL OR l.created_at <= $3)
       AND ($4::timestamptz IS NULL OR greatest(l.expires_at, l.first_viewed_at) >= $4)
     ORDER BY l.created_at DESC, l.id DESC LIMIT $5`,
    [options.contactId, options.accountId, options.until, options.since, options.limit],
  );
}

/**
 * Deletes up to `limit` spent links (used, expired, revoked) whose expiry time is before `before`,
 * oldest first, by the partial index `one_time_links_spent`; returns how many. Until then a spent
 * link's page still names the calendar's owner to contact. An appointment booked through one stays,
 * its `link_id` set to NULL (found by `appointments_link`). In the same statement, what the deleted
 * links counted for /metrics (by status, and whether used) is added to `pruned_totals`. The batch
 * is deleted by primary key (`= ANY (ARRAY(…))`: a join may be planned as a scan of the table).
 */
export async function deleteSpentLinks(tx: Tx, options: { before: Date; limit: number }): Promise<number> {
  const rows = await queryRows<{ deleted: number }>(
    tx,
    `WITH batch AS (
       SELECT id FROM one_time_links WHERE status <> 'active' AND expires_at < $1
       ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
     ), gone AS (
       DELETE FROM one_time_links WHERE id = ANY (ARRAY(SELECT id FROM batch)) RETURNING status, uses
     ), totals AS (
       INSERT INTO pruned_totals (metric, label_a, label_b, n)
       SELECT 'links', status, CASE WHEN uses > 0 THEN 'redeemed' ELSE '' END, count(*) FROM gone GROUP BY 2, 3
       ON CONFLICT (metric, label_a, label_b) DO UPDATE SET n = pruned_totals.n + EXCLUDED.n
     )
     SELECT count(*)::int AS deleted FROM gone`,
    [options.before, options.limit],
  );
  return rows[0]?.deleted ?? 0;
}
