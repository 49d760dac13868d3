import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { isUuid } from '../contacts/contact-store';
import { durationSchema } from '../lib/duration';
import { NotFoundError } from '../lib/errors';
import { bookingUrl } from './booking-url';
import { deriveToken, newTokenSalt, tokenHash, type UrlSigner } from '../lib/signed-tokens';

export const LINK_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** Default lifetime of a link: 7 days. */
export const DEFAULT_LINK_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_LINK_TTL_MS = 366 * 24 * 3600 * 1000;

/** `expiresIn` (`30m`, `7d`, ISO-8601 or ms, default 7d, at most a year) and `maxUses` (default 1). */
export const linkOptionsShape = {
  expiresIn: durationSchema.pipe(z.number().min(1000, 'at least 1s').max(MAX_LINK_TTL_MS, 'at most 366 days')).optional(),
  maxUses: z.number().int().min(1).max(1000).optional(),
};

export const LINK_COLUMNS = `id, account_id, calendar_id, contact_id, token_salt, status, uses, max_uses, expires_at, redeemed_at,
  run_id, step_id, created_at`;

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
}

export interface OneTimeLink {
  id: string;
  url: string;
  calendarId: string;
  contactId: string | null;
  status: LinkStatus;
  uses: number;
  maxUses: number;
  expiresAt: string;
  redeemedAt: string | null;
  createdAt: string;
}

/** An active link past its time is expired, even before the expiry job has marked it. */
export function effectiveStatus(row: Pick<LinkRow, 'status' | 'expires_at'>, now = new Date()): LinkStatus {
  return row.status === 'active' && row.expires_at <= now ? 'expired' : row.status;
}

export function toLinkView(row: LinkRow, urls: UrlSigner): OneTimeLink {
  return {
    id: row.id,
    url: bookingUrl(urls, row.id, row.token_salt),
    calendarId: row.calendar_id,
    contactId: row.contact_id,
    status: effectiveStatus(row),
    uses: row.uses,
    maxUses: row.max_uses,
    expiresAt: row.expires_at.toISOString(),
    redeemedAt: row.redeemed_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export interface MintOptions {
  accountId: string;
  calendarId: string;
  contactId?: string | null;
  /** Default 7 days. */
  expiresInMs?: number;
  /** Default 1. */
  maxUses?: number;
  /** The workflow step minting it: a second mint with the same (run, step) returns the first link. */
  origin?: { runId: string; stepId: string };
}

/**
 * Mints a link in the caller's transaction. Only sha256(token) is stored; the token is derived
 * from the link id and a random salt with LINK_SECRET, so a retried step recomputes the same URL.
 */
export async function mintLink(tx: Tx, options: MintOptions, secret: string): Promise<{ row: LinkRow; created: boolean }> {
  const id = randomUUID();
  const salt = newTokenSalt();
  const token = deriveToken(secret, 'one-time-link', id, salt);
  const rows: LinkRow[] = await tx.query(
    `INSERT INTO one_time_links (id, account_id, calendar_id, contact_id, token_hash, token_salt, status, max_uses, expires_at, run_id, step_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, now() + $8 * interval '1 millisecond', $9, $10)
     ON CONFLICT (run_id, step_id) DO NOTHING RETURNING ${LINK_COLUMNS}`,
    [
      id,
      options.accountId,
      options.calendarId,
      options.contactId ?? null,
      tokenHash(token),
      salt,
      options.maxUses ?? 1,
      options.expiresInMs ?? DEFAULT_LINK_TTL_MS,
      options.origin?.runId ?? null,
      options.origin?.stepId ?? null,
    ],
  );
  if (rows[0]) return { row: rows[0], created: true };
  const existing: LinkRow[] = await tx.query(`SELECT ${LINK_COLUMNS} FROM one_time_links WHERE run_id = $1 AND step_id = $2`, [
    options.origin?.runId,
    options.origin?.stepId,
  ]);
  return { row: existing[0]!, created: false };
}

export async function getLinkRow(tx: Tx, accountId: string, linkId: string): Promise<LinkRow> {
  if (!isUuid(linkId)) throw new NotFoundError('Link');
  const rows: LinkRow[] = await tx.query(`SELECT ${LINK_COLUMNS} FROM one_time_links WHERE id = $1 AND account_id = $2`, [linkId, accountId]);
  if (!rows[0]) throw new NotFoundError('Link');
  return rows[0];
}

/** Revokes an active link (idempotent: a used, expired or revoked link is returned as it is). */
export async function revokeLink(tx: Tx, accountId: string, linkId: string): Promise<LinkRow> {
  const current = await getLinkRow(tx, accountId, linkId);
  const rows = await queryRows<LinkRow>(
    tx,
    `UPDATE one_time_links SET status = 'revoked' WHERE id = $1 AND status = 'active' RETURNING ${LINK_COLUMNS}`,
    [current.id],
  );
  return rows[0] ?? (await getLinkRow(tx, accountId, linkId));
}

/** Revokes a contact's other active links to a calendar (the `revokePrevious` of the mint action). */
export async function revokeOtherLinks(tx: Tx, options: { contactId: string; calendarId: string; keepId: string }): Promise<number> {
  const rows = await queryRows(
    tx,
    `UPDATE one_time_links SET status = 'revoked'
     WHERE contact_id = $1 AND calendar_id = $2 AND id <> $3 AND status = 'active' RETURNING id`,
    [options.contactId, options.calendarId, options.keepId],
  );
  return rows.length;
}

export const listLinksQuerySchema = z.object({
  contactId: z.uuid().optional(),
  calendarId: z.uuid().optional(),
  status: z.enum(LINK_STATUSES).optional(),
  /** Page size. Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.uuid('not a cursor of this list').optional(),
});
export type ListLinksQuery = z.infer<typeof listLinksQuerySchema>;

/** Newest first. `status` filters on the effective status (an active link past its time is expired). */
export async function listLinkRows(tx: Tx, accountId: string, query: ListLinksQuery): Promise<{ rows: LinkRow[]; nextCursor: string | null }> {
  const rows: LinkRow[] = await tx.query(
    `SELECT ${LINK_COLUMNS} FROM one_time_links l
     WHERE account_id = $1 AND ($2::uuid IS NULL OR contact_id = $2) AND ($3::uuid IS NULL OR calendar_id = $3)
       AND ($4::text IS NULL OR (CASE WHEN status = 'active' AND expires_at <= now() THEN 'expired' ELSE status END) = $4)
       AND ($5::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM one_time_links WHERE id = $5 AND account_id = $1))
     ORDER BY created_at DESC, id DESC LIMIT $6`,
    [accountId, query.contactId ?? null, query.calendarId ?? null, query.status ?? null, query.cursor ?? null, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  return { rows: page, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
}
