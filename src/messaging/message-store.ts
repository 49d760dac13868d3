import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { cursorTimeSql } from '../lib/keyset-cursor';
import { toStorableText } from '../lib/storable-json';

export type Channel = 'email' | 'sms';
/** `sending` is internal: written before the provider call, final statuses after it. */
export type MessageStatus = 'sending' | 'sent' | 'not_delivered' | 'failed' | 'skipped';
export const FINAL_STATUSES: readonly MessageStatus[] = ['sent', 'not_delivered', 'failed', 'skipped'];

export interface MessageRow {
  id: string;
  account_id: string;
  contact_id: string;
  /** The key of a step's message; null for an appointment notification. */
  run_id: string | null;
  step_id: string | null;
  /** The key of an appointment notification (see messageOwnerOf); null for a step's message. */
  appointment_id: string | null;
  kind: string | null;
  channel: Channel;
  to: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  body: string | null;
  status: MessageStatus;
  error: string | null;
  provider_message_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Every column of messages, in the shape of MessageRow. */
const COLUMNS =
  'id, account_id, contact_id, run_id, step_id, appointment_id, kind, channel, "to", subject, text, html, body, status, error, provider_message_id, created_at, updated_at';

/** COLUMNS of the table aliased `m`. */
const M_COLUMNS = COLUMNS.replace(/(^|, )/g, '$1m.');

/**
 * What a message belongs to, which is also its idempotency key (one row each, UNIQUE in the table):
 * the (run, step) of a send step, or the (appointment, kind) of an appointment notification.
 */
export type MessageOwner = { runId: string; stepId: string } | { appointmentId: string; kind: string };

/** Who and what: the account, the contact the message is about, its channel and its owner. */
export type MessageKey = { accountId: string; contactId: string; channel: Channel } & MessageOwner;

/** The owner (idempotency key) of a stored row. */
export function messageOwnerOf(row: MessageRow): MessageOwner {
  if (row.appointment_id !== null && row.kind !== null) return { appointmentId: row.appointment_id, kind: row.kind };
  return { runId: row.run_id!, stepId: row.step_id! };
}

export interface MessageContent {
  to: string | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  body?: string | null;
}

/** The message of a step or of an appointment notification; each lookup is its unique index. */
export async function findMessage(tx: Tx, owner: MessageOwner): Promise<MessageRow | null> {
  const rows =
    'runId' in owner
      ? await queryRows<MessageRow>(tx, `SELECT ${COLUMNS} FROM messages WHERE run_id = $1 AND step_id = $2`, [
          owner.runId,
          owner.stepId,
        ])
      : await queryRows<MessageRow>(tx, `SELECT ${COLUMNS} FROM messages WHERE appointment_id = $1 AND kind = $2`, [
          owner.appointmentId,
          owner.kind,
        ]);
  return rows[0] ?? null;
}

/** The messages of these appointments, every kind (a notify job's emails, read in one statement). */
export async function findAppointmentMessages(tx: Tx, appointmentIds: string[]): Promise<MessageRow[]> {
  if (appointmentIds.length === 0) return [];
  // Parsed and planned once per connection: each booking's emails read their rows so.
  return queryRows<MessageRow>(
    tx,
    `SELECT ${COLUMNS} FROM messages WHERE appointment_id = ANY ($1::uuid[])`,
    [appointmentIds],
    { prepare: 'messages-of-appointments' },
  );
}

/** A message row to write unless its owner has one (insertMessages). */
export interface MessageInsert {
  key: MessageKey;
  content: MessageContent;
  status: MessageStatus;
  error?: string | null;
}

/** The owner of a key or a row as one string: what a batch of writes keys its items by. */
export function ownerKeyOf(owner: MessageOwner): string {
  return 'runId' in owner ? `run ${owner.runId} ${owner.stepId}` : `appointment ${owner.appointmentId} ${owner.kind}`;
}

/**
 * Writes the message of its owner (run and step, or appointment and kind) with `status`, unless one
 * exists: then returns the existing row untouched (`created: false`). Concurrent callers get one row.
 */
export async function insertMessage(tx: Tx, options: MessageInsert): Promise<{ row: MessageRow; created: boolean }> {
  return (await insertMessages(tx, [options]))[0]!;
}

/**
 * insertMessage for several owners in one statement (a multi-row INSERT … SELECT FROM unnest, ON
 * CONFLICT DO NOTHING on either of the owner's unique indexes), answered in the items' order. The
 * rows of owners that had one already (a retry, a concurrent sender) are then read, one by one: the
 * rare case. At most one item per owner.
 */
export async function insertMessages(
  tx: Tx,
  items: readonly MessageInsert[],
): Promise<{ row: MessageRow; created: boolean }[]> {
  if (items.length === 0) return [];
  if (new Set(items.map((item) => ownerKeyOf(item.key))).size < items.length)
    throw new Error('insertMessages: two items of one owner');
  const column = <T>(pick: (item: MessageInsert) => T): T[] => items.map(pick);
  const stepOf = (item: MessageInsert) => ('runId' in item.key ? item.key : null);
  const appointmentOf = (item: MessageInsert) => ('appointmentId' in item.key ? item.key : null);
  const inserted = await queryRows<MessageRow>(
    tx,
    `INSERT INTO messages (account_id, contact_id, run_id, step_id, appointment_id, kind, channel, "to", subject, text,
       html, body, status, error)
     SELECT v.account_id, v.contact_id, v.run_id, v.step_id, v.appointment_id, v.kind, v.channel, v."to", v.subject,
            v.text, v.html, v.body, v.status, v.error
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
            AS v(account_id, contact_id, run_id, step_id, appointment_id, kind, channel, "to", subject, text, html, body,
                 status, error)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      column((item) => item.key.accountId),
      column((item) => item.key.contactId),
      column((item) => stepOf(item)?.runId ?? null),
      column((item) => stepOf(item)?.stepId ?? null),
      column((item) => appointmentOf(item)?.appointmentId ?? null),
      column((item) => appointmentOf(item)?.kind ?? null),
      column((item) => item.key.channel),
      column((item) => item.content.to),
      column((item) => item.content.subject ?? null),
      column((item) => item.content.text ?? null),
      column((item) => item.content.html ?? null),
      column((item) => item.content.body ?? null),
      column((item) => item.status),
      column((item) => item.error ?? null),
    ],
    { prepare: 'message-insert-batch' },
  );
  const created = new Map(inserted.map((row) => [ownerKeyOf(messageOwnerOf(row)), row] as const));
  return Promise.all(
    items.map(async (item) => {
      const row = created.get(ownerKeyOf(item.key));
      if (row) return { row, created: true };
      const existing = await findMessage(tx, item.key);
      if (!existing) throw new Error('message row vanished after a conflict');
      return { row: existing, created: false };
    }),
  );
}

/**
 * Reopens a `failed` message for a new attempt of its step (failed → sending). Conditional, so of
 * concurrent attempts exactly one gets the row back; the others get null.
 */
export async function reopenFailedMessage(tx: Tx, id: string): Promise<MessageRow | null> {
  const rows = await queryRows<MessageRow>(
    tx,
    `UPDATE messages SET status = 'sending', error = NULL, updated_at = now() WHERE id = $1 AND status = 'failed' RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Takes a `sending` message over for a new provider call: one whose last call failed transiently (its
 * `error` says why) or one in flight for longer than `staleMs` (its sender died). Conditional, so of
 * concurrent callers at most one gets the row, the others null; the taker's mark (error cleared,
 * updated_at now) tells later callers that the message is in flight again.
 */
export async function takeOverSendingMessage(
  tx: Tx,
  options: { id: string; staleMs: number },
): Promise<MessageRow | null> {
  const rows = await queryRows<MessageRow>(
    tx,
    `UPDATE messages SET error = NULL, updated_at = now()
      WHERE id = $1 AND status = 'sending' AND (error IS NOT NULL OR updated_at < now() - $2 * interval '1 millisecond')
      RETURNING ${COLUMNS}`,
    [options.id, options.staleMs],
  );
  return rows[0] ?? null;
}

/**
 * Writes the content of a `sending` message that has none (it failed before any provider call and
 * was reopened by a retry). A message with content keeps it: a repeat sends what was stored.
 */
export async function storeMissingContent(
  tx: Tx,
  options: { id: string; content: MessageContent },
): Promise<MessageRow | null> {
  const { content } = options;
  const rows = await queryRows<MessageRow>(
    tx,
    `UPDATE messages SET "to" = $2, subject = $3, text = $4, html = $5, body = $6, updated_at = now()
      WHERE id = $1 AND status = 'sending' AND text IS NULL AND body IS NULL RETURNING ${COLUMNS}`,
    [options.id, content.to, content.subject ?? null, content.text ?? null, content.html ?? null, content.body ?? null],
  );
  return rows[0] ?? null;
}

/** How a message ended up after its provider call (or before it, for a retry's `sending`). */
export interface MessageSettlement {
  id: string;
  status: MessageStatus;
  error?: string | null;
  providerMessageId?: string | null;
}

/**
 * Moves a `sending` message to its final status (or records a transient error on it, keeping
 * `sending`). Returns the row as it ends up; a row already final is returned unchanged.
 */
export async function settleMessage(tx: Tx, options: MessageSettlement): Promise<MessageRow> {
  return (await settleMessages(tx, [options]))[0]!;
}

/**
 * settleMessage for several messages in one statement (UPDATE … FROM unnest), answered in the
 * items' order; the rows no longer `sending` are read in a second one. At most one item per message.
 */
export async function settleMessages(tx: Tx, items: readonly MessageSettlement[]): Promise<MessageRow[]> {
  if (items.length === 0) return [];
  if (new Set(items.map((item) => item.id)).size < items.length)
    throw new Error('settleMessages: two items of one message');
  const updated = await queryRows<MessageRow>(
    tx,
    `UPDATE messages m SET status = v.status, error = v.error,
            provider_message_id = coalesce(v.provider_message_id, m.provider_message_id), updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(id, status, error, provider_message_id)
      WHERE m.id = v.id AND m.status = 'sending'
      RETURNING ${M_COLUMNS}`,
    [
      items.map((item) => item.id),
      items.map((item) => item.status),
      items.map((item) => (item.error == null ? null : toStorableText(item.error))),
      items.map((item) => item.providerMessageId ?? null),
    ],
    { prepare: 'message-settle-batch' },
  );
  const rows = new Map(updated.map((row) => [row.id, row] as const));
  const missing = items.filter((item) => !rows.has(item.id)).map((item) => item.id);
  if (missing.length > 0) {
    const current = await queryRows<MessageRow>(tx, `SELECT ${COLUMNS} FROM messages WHERE id = ANY ($1::uuid[])`, [
      missing,
    ]);
    for (const row of current) rows.set(row.id, row);
  }
  return items.map((item) => {
    const row = rows.get(item.id);
    if (!row) throw new Error('message row vanished');
    return row;
  });
}

/** A contact's messages, newest first, keyset-paginated on (created_at, id); `sending` rows are not shown. */
export async function listContactMessages(
  tx: Tx,
  options: { accountId: string; contactId: string; limit: number; before?: { at: string; id: string } },
): Promise<(MessageRow & { position_at: string })[]> {
  const params: unknown[] = [options.accountId, options.contactId];
  let where = `account_id = $1 AND contact_id = $2 AND status <> 'sending'`;
  if (options.before) {
    params.push(options.before.at, options.before.id);
    where += ` AND (created_at, id) < ($3::timestamptz, $4::uuid)`;
  }
  params.push(options.limit);
  return queryRows<MessageRow & { position_at: string }>(
    tx,
    `SELECT ${COLUMNS}, ${cursorTimeSql('created_at')} AS position_at
       FROM messages WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
}

/** What the console's preview shows of a message of the account; null when it has none by this id (a uuid). */
export async function findMessageContent(
  tx: Tx,
  options: { accountId: string; messageId: string },
): Promise<Pick<MessageRow, 'html' | 'text' | 'body'> | null> {
  const rows = await queryRows<Pick<MessageRow, 'html' | 'text' | 'body'>>(
    tx,
    'SELECT html, text, body FROM messages WHERE id = $1 AND account_id = $2',
    [options.messageId, options.accountId],
  );
  return rows[0] ?? null;
}

/**
 * The creation time of the contact's (offset + 1)-th newest message (`sending` ones are not shown)
 * among those created before `before` (all when null); null when there is none. The contact
 * timeline's lower bound, from messages_contact_created.
 */
export async function contactMessageAt(
  tx: Tx,
  options: { accountId: string; contactId: string; before: string | null; offset: number },
): Promise<string | null> {
  const rows = await queryRows<{ at: string }>(
    tx,
    `SELECT ${cursorTimeSql('created_at')} AS at FROM messages
     WHERE contact_id = $1 AND account_id = $2 AND status <> 'sending' AND ($3::timestamptz IS NULL OR created_at < $3)
     ORDER BY created_at DESC, id DESC OFFSET $4 LIMIT 1`,
    [options.contactId, options.accountId, options.before, options.offset],
  );
  return rows[0]?.at ?? null;
}

/** A message as the contact timeline shows it: no email content (the preview frame loads it), an SMS's body. */
export type TimelineMessageRow = Pick<
  MessageRow,
  'id' | 'run_id' | 'step_id' | 'appointment_id' | 'kind' | 'channel' | 'to' | 'subject' | 'body' | 'status' | 'error'
> & { has_content: boolean; at: string };

/** The contact's messages created in [since, until] (either bound open when null), `sending` ones left out; newest first, at most `limit`. */
export async function selectContactMessagesInWindow(
  tx: Tx,
  options: { accountId: string; contactId: string; since: string | null; until: string | null; limit: number },
): Promise<TimelineMessageRow[]> {
  return queryRows<TimelineMessageRow>(
    tx,
    `SELECT id, run_id, step_id, appointment_id, kind, channel, "to", subject, body, status, error,
       (html IS NOT NULL OR text IS NOT NULL OR body IS NOT NULL) AS has_content, ${cursorTimeSql('created_at')} AS at
     FROM messages
     WHERE contact_id = $1 AND account_id = $2 AND status <> 'sending'
       AND ($3::timestamptz IS NULL OR created_at <= $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [options.contactId, options.accountId, options.until, options.since, options.limit],
  );
}
