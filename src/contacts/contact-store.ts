import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { ConflictError, NotFoundError } from '../lib/errors';
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

/** The contact of this account, or NotFoundError; `forUpdate` locks the row until the transaction ends. */
export async function findContactRow(
  tx: Tx,
  accountId: string,
  contactId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ContactRow> {
  if (!isUuid(contactId)) throw new NotFoundError('Contact');
  const rows: ContactRow[] = await tx.query(
    `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = $1 AND account_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [contactId, accountId],
  );
  if (!rows[0]) throw new NotFoundError('Contact');
  return rows[0];
}

/** Runs an UPDATE … RETURNING of one contact row. */
export async function updateReturning(tx: Tx, sql: string, params: unknown[]): Promise<ContactRow> {
  const rows = await queryRows<ContactRow>(tx, sql, params);
  if (!rows[0]) throw new Error('contact row disappeared while locked');
  return rows[0];
}

export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } } | null;
  return (candidate?.driverError?.code ?? candidate?.code) === '23505';
}

/** The 409 for an email another contact of the account already has, naming that contact. */
export async function duplicateEmailError(tx: Tx, accountId: string, email: string, exceptId?: string): Promise<ConflictError> {
  const rows: { id: string }[] = await tx.query(
    'SELECT id FROM contacts WHERE account_id = $1 AND lower(email) = lower($2) AND id IS DISTINCT FROM $3 LIMIT 1',
    [accountId, email, exceptId ?? null],
  );
  return new ConflictError('A contact with this email already exists', rows[0] ? { existingId: rows[0].id } : undefined);
}
