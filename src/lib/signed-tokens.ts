import { randomBytes } from 'node:crypto';
import type { Config } from '../config/env';
import { requireLinkSecret } from './link-secret-guard';
import { hmacToken, sha256Hex } from './secrets';

/** What a derived token is for; a token of one purpose is never valid for another. */
export type TokenPurpose = 'one-time-link' | 'appointment.reschedule' | 'appointment.cancel';

/** 16 random bytes from the system CSPRNG, hex: the entropy of every derived token. */
export function newTokenSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * A URL-safe token: base64url(HMAC-SHA256(LINK_SECRET, purpose:id:salt)). The random salt gives it
 * 128 bits the attacker cannot guess; the secret makes it recomputable from its row (a retried
 * step returns the same URL) but not from a copy of the database.
 */
export function deriveToken(secret: string, purpose: TokenPurpose, id: string, salt: string): string {
  return hmacToken(requireLinkSecret(secret), `${purpose}:${id}:${salt}`);
}

/** What the database stores and looks tokens up by. */
export function tokenHash(token: string): string {
  return sha256Hex(token);
}

/** A derived token is 43 base64url characters; anything else cannot be one (and is not looked up). */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * What signs the public URLs of links and appointments: the base they live under and the secret
 * their tokens are derived with. It carries the secret: hand it only to code that builds such URLs.
 */
export interface UrlSigner {
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  secret: string;
}

export function urlSignerOf(config: Pick<Config, 'PUBLIC_URL' | 'LINK_SECRET'>): UrlSigner {
  return { publicUrl: config.PUBLIC_URL, secret: config.LINK_SECRET };
}
