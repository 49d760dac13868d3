import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Pretty, human lines instead of JSON. Default: when stdout is a terminal. */
  pretty?: boolean;
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

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  return pino({
    level: options.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: undefined,
    transport: pretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
  });
}
