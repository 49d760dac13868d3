import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { isUuid } from '../contacts/contact-store';
import { NotFoundError } from '../lib/errors';
import { bookingUrl } from './booking-url';
import { deriveToken, newTokenSalt, tokenHash, type UrlSigner } from '../lib/signed-tokens';
import {
  findLinkByOrigin,
  findLinkOfAccount,
  findUnusedSharedLink,
  insertLink,
  LINK_STATUSES,
  lockSharedLinks,
  markLinkRevoked,
  markOtherLinksRevoked,
  selectLinkPage,
  type LinkRow,
  type LinkStatus,
} from './link-store';

/** Default lifetime of a link: 7 days. */
export const DEFAULT_LINK_TTL_MS = 7 * 24 * 3600 * 1000;

/** The same options for the API, the CLI and the step: the definition format owns them. */
export { linkOptionsShape } from '../definition/steps/link-options';

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
export async function mintLink(
  tx: Tx,
  options: MintOptions,
  secret: string,
): Promise<{ row: LinkRow; created: boolean }> {
  const id = randomUUID();
  const salt = newTokenSalt();
  const token = deriveToken(secret, 'one-time-link', id, salt);
  const inserted = await insertLink(tx, {
    id,
    accountId: options.accountId,
    calendarId: options.calendarId,
    contactId: options.contactId ?? null,
    tokenHash: tokenHash(token),
    salt,
    maxUses: options.maxUses ?? 1,
    expiresInMs: options.expiresInMs ?? DEFAULT_LINK_TTL_MS,
    runId: options.origin?.runId ?? null,
    stepId: options.origin?.stepId ?? null,
  });
  if (inserted) return { row: inserted, created: true };
  return {
    row: (await findLinkByOrigin(tx, { runId: options.origin?.runId, stepId: options.origin?.stepId }))!,
    created: false,
  };
}

/**
 * The calendar's unused shared link (no contact, no run, never used), minted now if there is none:
 * what the Share dialog's One Time Link tab shows on opening. Opening it again, or in two tabs at
 * once (the lock), shows the same link, so views never pile links up; once it is used, the next
 * opening mints a fresh one. Run it in a transaction: the lock is held until it ends.
 */
export async function ensureSharedLink(
  tx: Tx,
  options: { accountId: string; calendarId: string },
  secret: string,
): Promise<{ row: LinkRow; created: boolean }> {
  await lockSharedLinks(tx, options.calendarId);
  const unused = await findUnusedSharedLink(tx, options.accountId, options.calendarId);
  if (unused) return { row: unused, created: false };
  return mintLink(tx, options, secret);
}

export async function getLinkRow(tx: Tx, accountId: string, linkId: string): Promise<LinkRow> {
  if (!isUuid(linkId)) throw new NotFoundError('Link');
  const row = await findLinkOfAccount(tx, accountId, linkId);
  if (!row) throw new NotFoundError('Link');
  return row;
}

/** Revokes an active link (idempotent: a used, expired or revoked link is returned as it is). */
export async function revokeLink(tx: Tx, accountId: string, linkId: string): Promise<LinkRow> {
  const current = await getLinkRow(tx, accountId, linkId);
  return (await markLinkRevoked(tx, current.id)) ?? (await getLinkRow(tx, accountId, linkId));
}

/** Revokes a contact's other active links to a calendar (the `revokePrevious` of the mint action). */
export async function revokeOtherLinks(
  tx: Tx,
  options: { contactId: string; calendarId: string; keepId: string },
): Promise<number> {
  return markOtherLinksRevoked(tx, options);
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
export async function listLinkRows(
  tx: Tx,
  accountId: string,
  query: ListLinksQuery,
): Promise<{ rows: LinkRow[]; nextCursor: string | null }> {
  const rows = await selectLinkPage(tx, accountId, {
    contactId: query.contactId,
    calendarId: query.calendarId,
    status: query.status,
    after: query.cursor,
    fetch: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { rows: page, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
}
