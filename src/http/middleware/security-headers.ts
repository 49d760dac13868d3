import type { RequestHandler } from 'express';

export interface SecurityHeadersOptions {
  /** Who may frame these pages (`frame-ancestors`). Default 'none'. The embeddable scheduling page passes '*'. */
  frameAncestors?: string;
  /** A whole Content-Security-Policy instead of the public pages' one (the console has its own). */
  csp?: string;
  /** X-Frame-Options when framing is not open. Default DENY. */
  frameOptions?: 'DENY' | 'SAMEORIGIN';
  /**
   * Allow our own script files and requests to ourselves (`script-src 'self'; connect-src 'self'`):
   * the booking pages' widget. Never inline script. Default false: no script at all.
   */
  scripts?: boolean;
}

/** The public pages' policy: our own stylesheet (and scripts when asked), forms to ourselves only. */
function publicPagePolicy(frameAncestors: string, scripts: boolean): string {
  return [
    "default-src 'none'",
    ...(scripts ? ["script-src 'self'", "connect-src 'self'"] : []),
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Security headers and a strict Content-Security-Policy for server-rendered pages, never cached. */
export function securityHeaders(options: SecurityHeadersOptions = {}): RequestHandler {
  const csp = options.csp ?? publicPagePolicy(options.frameAncestors ?? "'none'", options.scripts ?? false);
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (!options.frameAncestors) res.setHeader('X-Frame-Options', options.frameOptions ?? 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
