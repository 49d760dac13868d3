import type { RequestHandler } from 'express';

export interface SecurityHeadersOptions {
  /** Who may frame these pages (`frame-ancestors`). Default 'none'. The embeddable scheduling page passes '*'. */
  frameAncestors?: string;
}

/** Security headers and a strict Content-Security-Policy for server-rendered pages. */
export function securityHeaders(options: SecurityHeadersOptions = {}): RequestHandler {
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${options.frameAncestors ?? "'none'"}`,
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (!options.frameAncestors) res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
