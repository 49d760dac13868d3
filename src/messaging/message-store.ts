import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { toStorableText } from '../lib/storable-json';

export type Channel = 'email' | 'sms';
/** `sending` is internal: written before the provider call, final statuses after it. */
export type MessageStatus = 'sending' | 'sent' | 'not_delivered' | 'failed' | 'skipped';
export const FINAL_STATUSES: readonly MessageStatus[] = ['sent', 'not_delivered', 'failed', 'skipped'];

export interface MessageRow {
  id: string;
  account_id: string;
  contact_id: string;
  run_id: string;
  step_id: string;
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

/** Who and what: the (run, step) a message belongs to, which is also its idempotency key. */
export interface MessageKey {
  accountId: string;
  contactId: string;
  runId: string;
  stepId: string;
  channel: Channel;
}

export interface MessageContent {
  to: string | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  body?: string | null;
}

export async function findMessage(tx: Tx, runId: string, stepId: string): Promise<MessageRow | null> {
  const rows: MessageRow[] = await tx.query('SELECT * FROM messages WHERE run_id = $1 AND step_id = $2', [runId, stepId]);
  return rows[0] ?? null;
}

/**
 * Writes the message of (run, step) with `status`, unless one exists: then returns the existing row
 * untouched (`created: false`). Concurrent callers get one row.
 */
export async function insertMessage(
  tx: Tx,
  options: { key: MessageKey; content: MessageContent; status: MessageStatus; error?: string | null },
): Promise<{ row: MessageRow; created: boolean }> {
  const { key, content } = options;
  const inserted: MessageRow[] = await tx.query(
    `INSERT INTO messages (account_id, contact_id, run_id, step_id, channel, "to", subject, text, html, body, status, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (run_id, step_id) DO NOTHING
     RETURNING *`,
    [
      key.accountId,
      key.contactId,
      key.runId,
      key.stepId,
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
  const existing = await findMessage(tx, key.runId, key.stepId);
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
    `UPDATE messages SET status = 'sending', error = NULL, updated_at = now() WHERE id = $1 AND status = 'failed' RETURNING *`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Writes the content of a `sending` message that has none (it failed before any provider call and
 * was reopened by a retry). A message with content keeps it: a repeat sends what was stored.
 */
export async function storeMissingContent(tx: Tx, options: { id: string; content: MessageContent }): Promise<MessageRow | null> {
  const { content } = options;
  const rows = await queryRows<MessageRow>(
    tx,
    `UPDATE messages SET "to" = $2, subject = $3, text = $4, html = $5, body = $6, updated_at = now()
      WHERE id = $1 AND status = 'sending' AND text IS NULL AND body IS NULL RETURNING *`,
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
      WHERE id = $1 AND status = 'sending' RETURNING *`,
    [options.id, options.status, options.error == null ? null : toStorableText(options.error), options.providerMessageId ?? null],
  );
  if (rows[0]) return rows[0];
  const current: MessageRow[] = await tx.query('SELECT * FROM messages WHERE id = $1', [options.id]);
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
  return tx.query(
    `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at
       FROM messages WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
}
