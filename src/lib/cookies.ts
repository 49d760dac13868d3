/** The console's session cookie: httpOnly, SameSite=Lax, Secure when PUBLIC_URL is https. */
export const SESSION_COOKIE = 'lf_session';
/** A short-lived cookie carrying the sign-in form's CSRF token (there is no session yet to hold it). */
export const LOGIN_CSRF_COOKIE = 'lf_login_csrf';

/** `Cookie: a=1; b=2` → {a: '1', b: '2'}; malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const raw = part.slice(index + 1).trim();
    try {
      if (!(name in cookies)) cookies[name] = decodeURIComponent(raw);
    } catch {
      // a value that is not valid percent-encoding is not one of ours
    }
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure: boolean;
  /** Default '/'. */
  path?: string;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${options.maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
