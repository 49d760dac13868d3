import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * The whole environment of Linkflow, parsed once at boot. Nobody else reads process.env.
 * Every variable has a default that works against the local services.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** HTTP port of the API and public pages. Default 3000. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Base URL the outside world reaches us at; links and pages are built from it. Default http://localhost:$PORT. */
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/linkflow'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .default('redis://127.0.0.1:6379'),
    /** Prefix of every BullMQ key; two deployments on one Redis need two prefixes. Default linkflow. */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('linkflow'),
    /** Key of the default (admin) account. When unset, one is generated on first start and printed once. */
    API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    WORKFLOWS_DIR: z.string().default('./workflows'),
    TEMPLATES_DIR: z.string().default('./templates'),
    /** Jobs one worker process runs at once. Default 10. */
    WORKER_CONCURRENCY: positiveInt(10),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** Pretty logs for a terminal; JSON otherwise. Default: pretty when stdout is a TTY. */
    LOG_PRETTY: booleanFlag.optional(),
    /** How long a worker holds a job before another may take it over after a crash. Default 30000 ms. */
    JOB_LOCK_MS: positiveInt(30_000),
    /** How often workers look for jobs whose worker died. Default 15000 ms. */
    STALLED_CHECK_MS: positiveInt(15_000),
    /** How often the outbox relay polls when idle. Default 200 ms. */
    OUTBOX_POLL_MS: positiveInt(200),
  })
  .transform((env) => ({
    ...env,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
  }));

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws one ConfigError naming every bad variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.in.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
