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
  return queryRows<MessageRow>(tx, `SELECT ${COLUMNS} FROM messages WHERE appointment_id = ANY ($1::uuid[])`, [
    appointmentIds,
  ]);
}

/** The unique index an insert of this owner conflicts on. */
const CONFLICT_TARGET = {
  step: '(run_id, step_id)',
  appointment: '(appointment_id, kind) WHERE appointment_id IS NOT NULL',
};

/**
 * Writes the message of its owner (run and step, or appointment and kind) with `status`, unless one
 * exists: then returns the existing row untouched (`created: false`). Concurrent callers get one row.
 */
export async function insertMessage(
  tx: Tx,
  options: { key: MessageKey; content: MessageContent; status: MessageStatus; error?: string | null },
): Promise<{ row: MessageRow; created: boolean }> {
  const { key, content } = options;
  const byStep = 'runId' in key;
  const inserted = await queryRows<MessageRow>(
    tx,
    `INSERT INTO messages (account_id, contact_id, run_id, step_id, appointment_id, kind, channel, "to", subject, text,
       html, body, status, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT ${byStep ? CONFLICT_TARGET.step : CONFLICT_TARGET.appointment} DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      key.accountId,
      key.contactId,
      byStep ? key.runId : null,
      byStep ? key.stepId : null,
      byStep ? null : key.appointmentId,
      byStep ? null : key.kind,
      key.channel,
      content.to,
      content.subject ?? null,
      content.text ?? null,
      content.html ?? null,
      content.body ?? null,
      options.status,
      options.error ?? null,
    ],
  );
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing = await findMessage(tx, key);
  if (!existing) throw new Error('message row vanished after a conflict');
  return { row: existing, created: false };
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

/**
 * Moves a `sending` message to its final status (or records a transient error on it, keeping
 * `sending`). Returns the row as it ends up; a row already final is returned unchanged.
 */
export async function settleMessage(
  tx: Tx,
  options: { id: string; status: MessageStatus; error?: string | null; providerMessageId?: string | null },
): Promise<MessageRow> {
  const rows = await queryRows<MessageRow>(
    tx,
    `UPDATE messages SET status = $2, error = $3, provider_message_id = coalesce($4, provider_message_id), updated_at = now()
      WHERE id = $1 AND status = 'sending' RETURNING ${COLUMNS}`,
    [
      options.id,
      options.status,
      options.error == null ? null : toStorableText(options.error),
      options.providerMessageId ?? null,
    ],
  );
  if (rows[0]) return rows[0];
  const current = await queryRows<MessageRow>(tx, `SELECT ${COLUMNS} FROM messages WHERE id = $1`, [options.id]);
  if (!current[0]) throw new Error('message row vanished');
  return current[0];
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
