import type { RequestHandler } from 'express';
import { securityHeaders } from '../http/middleware/security-headers';

/** The console's policy: its own script and stylesheet only, frames only from itself (the email preview). */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // The builder (a client-side island) calls /api/v1 with the session; nowhere else.
  "connect-src 'self'",
  "form-action 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleHeadersOptions {
  /** The Content-Security-Policy. Default CONSOLE_CSP. */
  csp?: string;
  /** X-Frame-Options. Default DENY. */
  frameOptions?: 'DENY' | 'SAMEORIGIN';
}

/** Security headers of every console response; pages are never cached (they show account data). */
export function consoleHeaders(options: ConsoleHeadersOptions = {}): RequestHandler {
  return securityHeaders({ csp: options.csp ?? CONSOLE_CSP, frameOptions: options.frameOptions });
}
