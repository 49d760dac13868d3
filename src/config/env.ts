import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * The public constant that older versions used when LINK_SECRET was unset. Only an installation that
 * had already sent links made with it keeps using it (see src/startup/link-secret.ts), with a warning.
 */
export const DEVELOPMENT_LINK_SECRET = 'linkflow-development-secret-do-not-use-in-production';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * The whole environment of Linkflow, parsed once at boot. Nobody else reads process.env.
 * Every variable has a default that works against the local services.
 */
const envObject = z.object({
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
  /** Connections this process keeps to PostgreSQL. Default 20. */
  DATABASE_POOL_SIZE: positiveInt(20),
  /** Jobs one worker process runs at once. Default 10. */
  WORKER_CONCURRENCY: positiveInt(10),
  /**
   * Step jobs of campaign runs one worker process runs at once, on the campaign lane's own queue,
   * beside the WORKER_CONCURRENCY jobs of every other queue: a campaign drains at this share and
   * never takes the slots of one contact's run. 0: this process takes no campaign step jobs (other
   * processes do; scale the campaign lane apart). Default 5.
   */
  CAMPAIGN_CONCURRENCY: z.coerce.number().int().min(0).default(5),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Pretty logs for a terminal; JSON otherwise. Default: pretty when stdout is a TTY. */
  LOG_PRETTY: booleanFlag.optional(),
  /** How long a worker holds a job before another may take it over after a crash. Default 30000 ms. */
  JOB_LOCK_MS: positiveInt(30_000),
  /** How often workers look for jobs whose worker died. Default 15000 ms. */
  STALLED_CHECK_MS: positiveInt(15_000),
  /** How often the outbox relay polls when idle. Default 200 ms. */
  OUTBOX_POLL_MS: positiveInt(200),
  /**
   * How long an API process answers a live API key from memory (src/accounts/api-key-cache.ts); a
   * revocation is heard at once by every process all the same. 0: read the key on every request.
   * Default 10,000 ms.
   */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * How far V8 lets the old generation grow past what was live at the last full collection, in per
   * cent (src/startup/heap-growth.ts): 100 lets it double. 0: V8's own heuristics (up to about
   * fourfold). A `--heap-growing-percent` given to node itself wins. Default 100.
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(100),
  /**
   * Port of a bare `GET /metrics` server for worker-only processes (`--role worker`), serving that
   * process's own metrics (step durations, memory). Default unset: none. The api and all roles
   * serve /metrics on PORT.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),

  // Retention (the `retention.prune` job, src/roles/retention.ts); 0 keeps those rows for ever
  /** Hours a published outbox event is kept (an event still queued is kept until processed). Default 6. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(0).default(6),
  /** Days a finished run (completed, failed, cancelled) is kept, with its steps and messages. Default 90. */
  RUN_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  /** Days a spent one-time link (used, expired, revoked) is kept after its expiry time. Default 365. */
  LINK_RETENTION_DAYS: z.coerce.number().int().min(0).default(365),

  // Messaging
  /** SMTP server, e.g. smtp://user:pass@host:587. Unset: email is rendered and recorded as not_delivered. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender of every email. Default "Linkflow <no-reply@localhost>". */
  MAIL_FROM: z.string().min(3).default('Linkflow <no-reply@localhost>'),
  /** log (default: recorded, not delivered), webhook, or twilio. */
  SMS_PROVIDER: z.enum(['log', 'webhook', 'twilio']).default('log'),
  SMS_WEBHOOK_URL: z.url().optional(),
  /** Sender number or id for SMS (webhook provider); Twilio uses TWILIO_FROM. */
  SMS_FROM: z.string().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_API_URL: z.url().default('https://api.twilio.com'),
  /** Emails per second across all workers; 0 = unlimited. Default 0. */
  EMAIL_RATE_PER_SEC: z.coerce.number().min(0).default(0),
  /** SMS per second across all workers; 0 = unlimited. Default 0. */
  SMS_RATE_PER_SEC: z.coerce.number().min(0).default(0),

  // Links and public pages
  /**
   * Secret that derives one-time link and unsubscribe tokens. Required when NODE_ENV=production.
   * Unset elsewhere: a random secret generated once per installation and kept in the database.
   */
  LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Requests per minute per IP on /book, /c and /u; 0 turns the limit off. Default 300. */
  PUBLIC_RATE_LIMIT: z.coerce.number().int().min(0).default(300),
  /**
   * Express "trust proxy" setting behind a load balancer: a hop count (e.g. 1) or a comma-separated
   * list of the proxies' addresses/subnets. Never `true` (any client could then pick its own IP): refused. Default false.
   */
  TRUST_PROXY: z
    .string()
    .refine(
      (value) => value.trim().toLowerCase() !== 'true',
      'must not be true (any client could pick its own IP): use a hop count or the proxies’ subnets',
    )
    .default('false'),

  // Egress guard: calls whose URL a workflow author controls (the webhook action)
  /** Lift the guard entirely (development and tests only): webhooks may call private and loopback addresses. Default false. */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanFlag.default(false),
  /** Comma-separated hosts or CIDRs that webhooks may call even though they are internal, e.g. `hooks.internal,10.1.0.0/16`. Default none. */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== ''),
    )
    .refine(
      (entries) => entries.every((entry) => !entry.includes('/') || ipaddr.isValidCIDR(entry)),
      'an entry with a / must be a valid CIDR',
    ),

  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. Default unset: open (keep it off the internet). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});
const envObjectShape = envObject.shape;

export const envSchema = envObject
  .superRefine(
    (env, ctx) => {
      if (env.NODE_ENV === 'production' && !env.LINK_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['LINK_SECRET'], message: 'is required when NODE_ENV=production' });
      }
      if (env.SMS_PROVIDER === 'webhook' && !env.SMS_WEBHOOK_URL) {
        ctx.addIssue({ code: 'custom', path: ['SMS_WEBHOOK_URL'], message: 'is required when SMS_PROVIDER=webhook' });
      }
      if (env.SMS_PROVIDER === 'twilio') {
        for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const) {
          if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when SMS_PROVIDER=twilio' });
        }
      }
      // A redelivered event finds the runs it started by their enrol key: its runs must outlive it.
      const outboxHours = env.OUTBOX_RETENTION_HOURS;
      const runDays = env.RUN_RETENTION_DAYS;
      if (typeof outboxHours === 'number' && typeof runDays === 'number' && outboxHours > 0 && runDays > 0) {
        if (outboxHours > runDays * 24)
          ctx.addIssue({
            code: 'custom',
            path: ['OUTBOX_RETENTION_HOURS'],
            message: 'must not be longer than RUN_RETENTION_DAYS',
          });
      }
    },
    // Run even when other variables are bad: start-up names every bad variable at once.
    { when: () => true },
  )
  .transform((env) => ({
    ...env,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    /**
     * The environment's LINK_SECRET, or '' until start-up fills in the installation's own secret
     * (applyLinkSecret in src/startup/link-secret.ts, which needs the migrated database).
     */
    LINK_SECRET: env.LINK_SECRET ?? '',
    /** Whether LINK_SECRET came from the environment (otherwise it comes from the database). */
    linkSecretFromEnvironment: env.LINK_SECRET !== undefined,
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
    Object.keys(envObjectShape).flatMap((key) => {
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
