import type { Tx } from '../db/data-source';
import { execute, queryRows } from '../db/sql';
import { NotFoundError } from '../lib/errors';
import { cursorTimeSql, type CursorPosition } from '../lib/keyset-cursor';
import type { Contact } from './contact-schema';

/** The columns every contact query returns, in the shape of ContactRow. */
export const CONTACT_COLUMNS =
  'id, email, phone, first_name, last_name, timezone, tags, custom_fields, dnd, email_unsubscribed_at, created_at, updated_at';

export interface ContactRow {
  id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  tags: string[];
  custom_fields: Contact['customFields'];
  dnd: boolean;
  /** Set by the unsubscribe page (`/u/:token`); email steps skip the contact from then on. */
  email_unsubscribed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A row of a page, with its position for the next cursor. */
export type PagedContactRow = ContactRow & { position_at: string };

/** What a marketer may set on a contact: everything but its id, unsubscribe and times. */
export interface ContactFields {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
  tags: string[];
  customFields: Contact['customFields'];
  dnd: boolean;
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    firstName: row.first_name,
    lastName: row.last_name,
    timezone: row.timezone,
    tags: row.tags,
    customFields: row.custom_fields,
    dnd: row.dnd,
    unsubscribedFromEmail: row.email_unsubscribed_at !== null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Any spelling Postgres accepts as a uuid in canonical form; anything else is simply not found. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } } | null;
  return (candidate?.driverError?.code ?? candidate?.code) === '23505';
}

/** The contacts of these ids, with their account (whose they are is the caller's to check). */
export async function findContactRowsByIds(
  tx: Tx,
  contactIds: string[],
): Promise<(ContactRow & { account_id: string })[]> {
  if (contactIds.length === 0) return [];
  return queryRows<ContactRow & { account_id: string }>(
    tx,
    `SELECT account_id, ${CONTACT_COLUMNS} FROM contacts WHERE id = ANY ($1::uuid[])`,
    [contactIds],
    // Parsed and planned once per connection: each booking's emails read their contacts so.
    { prepare: 'contacts-by-ids' },
  );
}

/** The contact of this account, or NotFoundError; `forUpdate` locks the row until the transaction ends. */
export async function findContactRow(
  tx: Tx,
  accountId: string,
  contactId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ContactRow> {
  if (!isUuid(contactId)) throw new NotFoundError('Contact');
  const rows = await queryRows<ContactRow>(
    tx,
    `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = $1 AND account_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [contactId, accountId],
  );
  if (!rows[0]) throw new NotFoundError('Contact');
  return rows[0];
}

/** The contact's id when the account has it; null otherwise (`contactId` must be a uuid). */
export async function findContactId(tx: Tx, accountId: string, contactId: string): Promise<string | null> {
  const rows = await queryRows<{ id: string }>(tx, 'SELECT id FROM contacts WHERE id = $1 AND account_id = $2', [
    contactId,
    accountId,
  ]);
  return rows[0]?.id ?? null;
}

/** The id of the account's contact with this email (any case), other than `exceptId`; null if none. */
export async function findContactIdByEmail(
  tx: Tx,
  accountId: string,
  options: { email: string; exceptId?: string },
): Promise<string | null> {
  const rows = await queryRows<{ id: string }>(
    tx,
    'SELECT id FROM contacts WHERE account_id = $1 AND lower(email) = lower($2) AND id IS DISTINCT FROM $3 LIMIT 1',
    [accountId, options.email, options.exceptId ?? null],
  );
  return rows[0]?.id ?? null;
}

/** Replaces every settable field of a contact the caller has locked; a taken email throws the unique violation. */
export async function updateContactRow(
  tx: Tx,
  options: { accountId: string; contactId: string; fields: ContactFields },
): Promise<ContactRow> {
  return updateReturning(
    tx,
    `UPDATE contacts SET email = $3, phone = $4, first_name = $5, last_name = $6, timezone = $7,
      tags = $8, custom_fields = $9, dnd = $10, updated_at = now()
    WHERE id = $1 AND account_id = $2 RETURNING ${CONTACT_COLUMNS}`,
    [options.contactId, options.accountId, ...fieldParams(options.fields)],
  );
}

/**
 * Sets the phone and the time zone of a contact only where it has none (a null leaves the column as
 * it is): what a public booking page may add to a contact it found by email, never overwrite.
 * One statement by primary key; COALESCE decides under the row lock the UPDATE takes, so a
 * concurrent edit is never replaced.
 */
export async function fillEmptyContactFields(
  tx: Tx,
  options: { accountId: string; contactId: string; phone: string | null; timezone: string | null },
): Promise<void> {
  await execute(
    tx,
    `UPDATE contacts SET phone = COALESCE(phone, $3), timezone = COALESCE(timezone, $4), updated_at = now()
     WHERE id = $1 AND account_id = $2
       AND ((phone IS NULL AND $3::text IS NOT NULL) OR (timezone IS NULL AND $4::text IS NOT NULL))`,
    [options.contactId, options.accountId, options.phone, options.timezone],
  );
}

/** The API's list: by exact email (any case) and a tag, oldest first, after `after`; at most `limit` rows. */
export async function listContactRows(
  tx: Tx,
  accountId: string,
  filter: { email?: string; tag?: string; after?: CursorPosition; limit: number },
): Promise<PagedContactRow[]> {
  const params: unknown[] = [accountId];
  const where = ['account_id = $1'];
  if (filter.email !== undefined) where.push(`lower(email) = lower($${params.push(filter.email)})`);
  if (filter.tag !== undefined) where.push(`tags @> $${params.push([filter.tag])}::text[]`);
  if (filter.after) {
    params.push(filter.after.at, filter.after.id);
    where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  return queryRows<PagedContactRow>(
    tx,
    `SELECT ${CONTACT_COLUMNS}, ${cursorTimeSql('created_at')} AS position_at
     FROM contacts WHERE ${where.join(' AND ')}
     ORDER BY created_at, id LIMIT $${params.length}`,
    params,
  );
}

/**
 * The console's search: `pattern` (an ILIKE pattern) against the email, the name either way round
 * and the phone, and a tag; newest first, before `before`; at most `limit` rows.
 */
export async function searchContactRows(
  tx: Tx,
  accountId: string,
  filter: { pattern?: string; tag?: string; before?: CursorPosition; limit: number },
): Promise<PagedContactRow[]> {
  const params: unknown[] = [accountId];
  const where = ['account_id = $1'];
  if (filter.pattern) {
    const p = `$${params.push(filter.pattern)}`;
    where.push(
      `(email ILIKE ${p} OR concat_ws(' ', first_name, last_name) ILIKE ${p} OR concat_ws(' ', last_name, first_name) ILIKE ${p} OR phone ILIKE ${p})`,
    );
  }
  if (filter.tag) where.push(`tags @> $${params.push([filter.tag])}::text[]`);
  if (filter.before) {
    params.push(filter.before.at, filter.before.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  return queryRows<PagedContactRow>(
    tx,
    `SELECT ${CONTACT_COLUMNS}, ${cursorTimeSql('created_at')} AS position_at
     FROM contacts WHERE ${where.join(' AND ')}
     ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
}

export type ContactLabelRow = Pick<ContactRow, 'id' | 'email' | 'phone' | 'first_name' | 'last_name'>;

/** What labels a contact (name, email, phone) for each of these ids of the account. */
export async function findContactLabelRows(tx: Tx, accountId: string, ids: string[]): Promise<ContactLabelRow[]> {
  return queryRows<ContactLabelRow>(
    tx,
    'SELECT id, email, phone, first_name, last_name FROM contacts WHERE account_id = $1 AND id = ANY($2::uuid[])',
    [accountId, ids],
  );
}

export interface UnsubscribeRow {
  id: string;
  account_id: string;
  email: string | null;
  /** The account's name, which the unsubscribe page shows. */
  name: string;
  email_unsubscribed_at: Date | null;
}

/** The contact an unsubscribe link names (any account: the signed link is the authority); null if none. */
export async function findUnsubscribeRow(tx: Tx, contactId: string): Promise<UnsubscribeRow | null> {
  const rows = await queryRows<UnsubscribeRow>(
    tx,
    `SELECT c.id, c.account_id, c.email, a.name, c.email_unsubscribed_at
       FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1`,
    [contactId],
  );
  return rows[0] ?? null;
}

/** Marks the contact unsubscribed from email, keeping the first time; false when it no longer exists. */
export async function markEmailUnsubscribed(tx: Tx, contactId: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `UPDATE contacts SET email_unsubscribed_at = coalesce(email_unsubscribed_at, now()), updated_at = now()
      WHERE id = $1 RETURNING id`,
    [contactId],
  );
  return rows.length > 0;
}

/** Who a campaign reaches: the account's contacts with `tag` (when given) among `contactIds` (when given). */
export interface CampaignAudience {
  accountId: string;
  tag: string | null;
  contactIds: string[] | null;
}

/** The next batch of a campaign's audience: ids after `after` (null: from the start), in id order; at most `limit`. */
export async function selectCampaignBatch(
  tx: Tx,
  audience: CampaignAudience & { after: string | null; limit: number },
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `SELECT id FROM contacts
     WHERE account_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
       AND ($3::text IS NULL OR $3::text = ANY (tags)) AND ($4::uuid[] IS NULL OR id = ANY ($4::uuid[]))
     ORDER BY id LIMIT $5`,
    [audience.accountId, audience.after, audience.tag, audience.contactIds, audience.limit],
  );
  return rows.map((row) => row.id);
}

/**
 * How many of the audience the workflow may enrol now: all of it with `allowReentry`, else those
 * never enrolled in it (workflow_enrolments). Answers about contacts, so it lives here.
 */
export async function countCampaignAudience(
  tx: Tx,
  audience: CampaignAudience & { workflowId: string; allowReentry: boolean },
): Promise<number> {
  const rows = await queryRows<{ count: string }>(
    tx,
    `SELECT count(*) FROM contacts c
     WHERE c.account_id = $1 AND ($2::text IS NULL OR $2::text = ANY (c.tags)) AND ($3::uuid[] IS NULL OR c.id = ANY ($3::uuid[]))
       AND ($4::boolean OR NOT EXISTS (SELECT 1 FROM workflow_enrolments e WHERE e.workflow_id = $5 AND e.contact_id = c.id))`,
    [audience.accountId, audience.tag, audience.contactIds, audience.allowReentry, audience.workflowId],
  );
  return Number(rows[0]!.count);
}

/** The parameters of ContactFields, in the column order of INSERT INTO contacts (account_id first, not included). */
export function fieldParams(fields: ContactFields): unknown[] {
  const { email, phone, firstName, lastName, timezone, tags, customFields, dnd } = fields;
  return [email, phone, firstName, lastName, timezone, tags, JSON.stringify(customFields), dnd];
}

async function updateReturning(tx: Tx, sql: string, params: unknown[]): Promise<ContactRow> {
  const rows = await queryRows<ContactRow>(tx, sql, params);
  if (!rows[0]) throw new Error('contact row disappeared while locked');
  return rows[0];
}

/**
 * How many of the account's newest contacts the pickers' suggestions are read from. Bounded on
 * purpose: a tag or custom field used only by older contacts is not suggested, and the builder
 * still accepts any name typed in; the read stays one index range (contacts_account_created,
 * backwards), whatever the account's size.
 */
export const SUGGESTION_SAMPLE = 5_000;

/** Distinct tags of the account's newest SUGGESTION_SAMPLE contacts, sorted; at most `limit`. */
export async function selectRecentTags(tx: Tx, accountId: string, limit: number): Promise<string[]> {
  const rows = await queryRows<{ tag: string }>(
    tx,
    `SELECT DISTINCT unnest(c.tags) AS tag
     FROM (SELECT tags FROM contacts WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2) c
     ORDER BY tag LIMIT $3`,
    [accountId, SUGGESTION_SAMPLE, limit],
  );
  return rows.map((row) => row.tag);
}

/** Distinct custom field names of the account's newest SUGGESTION_SAMPLE contacts, sorted; at most `limit`. */
export async function selectRecentCustomFieldNames(tx: Tx, accountId: string, limit: number): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    tx,
    `SELECT DISTINCT jsonb_object_keys(c.custom_fields) AS name
     FROM (SELECT custom_fields FROM contacts WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2) c
     ORDER BY name LIMIT $3`,
    [accountId, SUGGESTION_SAMPLE, limit],
  );
  return rows.map((row) => row.name);
}
