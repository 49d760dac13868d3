import { redactSecretPaths } from './secret-paths';

/**
 * An error as a log line may show it. Whitelisted fields only: a TypeORM `QueryFailedError` carries
 * the statement's `query` and `parameters` (a message's HTML with its `/u/` and `/book/` links, a
 * booker's email) and pg's `detail` ("Key (email)=(ada@example.com) already exists"), `where` and
 * `driverError`; none of them may reach a log line. What names the failure stays: type, message,
 * SQLSTATE `code`, `table`, `constraint`, `schema`, `column`, an HTTP `status`, and the stack.
 */
export interface LoggedError {
  type: string;
  message: string;
  code?: string | number;
  status?: number;
  syscall?: string;
  table?: string;
  constraint?: string;
  schema?: string;
  column?: string;
  stack?: string;
  cause?: LoggedError | string;
  errors?: (LoggedError | string)[];
}

/** Fields of a PostgreSQL error that name what failed, never the data that failed it. */
const DATABASE_FIELDS = ['table', 'constraint', 'schema', 'column'] as const;

/** Causes and aggregated errors are followed this deep, and at most this many of the latter. */
const MAX_DEPTH = 3;
const MAX_AGGREGATED = 5;

const EMAIL = /[^\s@"'<>()[\]:;,/]+@[^\s@"'<>()[\]:;,]+\.[A-Za-z]{2,}/g;
// PostgreSQL quotes the offending value after a colon or "value": `invalid input syntax for type
// uuid: "…"`, `value "…" is out of range`. Identifiers (relation "x", constraint "y") stay.
const QUOTED_VALUE = /(:\s*|\bvalue\s+)"(?:[^"\\]|\\.)*"/g;

/** A text fit for a log line: no token of a public path, no email address, no quoted SQL value. */
export function scrubLogText(text: string): string {
  return redactSecretPaths(text).replace(EMAIL, '[email]').replace(QUOTED_VALUE, '$1[value]');
}

/** Anything thrown, as a log line may show it (the logger's `err` and `error` serializer). */
export function loggedError(value: unknown, depth = 0): LoggedError | string {
  if (typeof value === 'string') return scrubLogText(value);
  if (typeof value !== 'object' || value === null) return scrubLogText(String(value));
  const error = value as Record<string, unknown>;
  const driver = (
    typeof error.driverError === 'object' && error.driverError !== null ? error.driverError : {}
  ) as Record<string, unknown>;
  const field = (name: string): unknown => error[name] ?? driver[name];
  const logged: LoggedError = {
    type: value instanceof Error ? value.constructor.name || value.name : 'Object',
    message: typeof error.message === 'string' ? scrubLogText(error.message) : '(no message)',
  };
  const code = field('code');
  if (typeof code === 'string' || typeof code === 'number') logged.code = code;
  const status = error.status ?? error.statusCode;
  if (typeof status === 'number') logged.status = status;
  if (typeof error.syscall === 'string') logged.syscall = error.syscall;
  for (const name of DATABASE_FIELDS) {
    const text = field(name);
    if (typeof text === 'string') logged[name] = text;
  }
  if (typeof error.stack === 'string') logged.stack = scrubLogText(error.stack);
  if (depth < MAX_DEPTH && error.cause !== undefined) logged.cause = loggedError(error.cause, depth + 1);
  if (depth < MAX_DEPTH && Array.isArray(error.errors)) {
    logged.errors = error.errors.slice(0, MAX_AGGREGATED).map((inner: unknown) => loggedError(inner, depth + 1));
  }
  return logged;
}
