import pino, { type DestinationStream, type Logger } from 'pino';
import { loggedError } from './log-errors';
import { redactSecretPaths } from './secret-paths';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Pretty, human lines instead of JSON. Default: when stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go instead of stdout (tests capture them). Default: stdout. */
  destination?: DestinationStream;
}

/** Fields that must never reach a log line, wherever they appear in the logged object. */
const REDACT = [
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  'req.headers.authorization',
  'headers.authorization',
  'body',
  '*.body',
  'html',
  '*.html',
  'text',
  '*.text',
  '*.authorization',
  '*.headers.authorization',
  'cookie',
  '*.cookie',
  '*.headers.cookie',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

/** Fields that hold a path or URL: kept, with the token of a public page (`/u/…`, `/book/…`) replaced. */
const PATHS = ['path', '*.path', 'url', '*.url'];

function censor(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1];
  if ((field === 'path' || field === 'url') && typeof value === 'string') return redactSecretPaths(value);
  return '[redacted]';
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.destination === undefined && (options.pretty ?? process.stdout.isTTY === true);
  const settings = {
    level: options.level,
    redact: { paths: [...REDACT, ...PATHS], censor },
    // Whatever is logged as `err` or `error` (an Error, a pg error, a message string) goes through
    // the whitelist of log-errors.ts: never a query's parameters, a token of a path, an email.
    serializers: { err: loggedError, error: loggedError },
    base: undefined,
    transport: pretty
      ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } }
      : undefined,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

const LEVELS = new Set<string | symbol>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const noop = () => undefined;

/**
 * `parent.child(bindings)`, made only when something is logged through it at an enabled level: pino
 * serializes and redacts a child's bindings when the child is made, which a step job paid for at
 * every step although its step lines are at debug. A call at a level the parent does not log is a
 * no-op without a child, as it would be with one.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  return new Proxy(parent, {
    get(_target, property) {
      if (LEVELS.has(property) && !parent.isLevelEnabled(property as string)) return noop;
      child ??= parent.child(bindings);
      const value: unknown = Reflect.get(child, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(child) : value;
    },
  });
}
