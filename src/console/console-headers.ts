import type { RequestHandler } from 'express';

/** The console's policy: its own script and stylesheet only, frames only from itself (the email preview). */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
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
  const csp = options.csp ?? CONSOLE_CSP;
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    res.setHeader('X-Frame-Options', options.frameOptions ?? 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
