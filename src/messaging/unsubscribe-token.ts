import { requireLinkSecret } from '../lib/link-secret-guard';
import { hmacToken, safeEqual } from '../lib/secrets';

/**
 * Unsubscribe links carry their own proof, so no table of tokens is needed:
 * `base64url(contactId) + '.' + HMAC-SHA256(LINK_SECRET, 'unsubscribe:' + contactId)`.
 * Not guessable without LINK_SECRET; the same link for a contact in every email (stable, so that a
 * second click still works and a mail client's one-click POST needs no state).
 */
const signature = (secret: string, contactId: string): string =>
  hmacToken(requireLinkSecret(secret), `unsubscribe:${contactId}`);

export function unsubscribeToken(secret: string, contactId: string): string {
  return `${Buffer.from(contactId, 'utf8').toString('base64url')}.${signature(secret, contactId)}`;
}

/** The contact id a token stands for, or null when the token is not one we signed. Constant-time compare. */
export function readUnsubscribeToken(secret: string, token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0].length > 200) return null;
  const contactId = Buffer.from(parts[0], 'base64url').toString('utf8');
  return safeEqual(parts[1], signature(secret, contactId)) ? contactId : null;
}

/** `${PUBLIC_URL}/u/<token>`: the page, the one-click POST target and `{{unsubscribeUrl}}`. */
export function unsubscribeUrl(options: { publicUrl: string; secret: string; contactId: string }): string {
  return `${options.publicUrl}/u/${unsubscribeToken(options.secret, options.contactId)}`;
}
