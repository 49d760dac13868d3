import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

/**
 * Every queue, every job on it, its payload schema and its delivery policy, in one place.
 * Payloads are validated when enqueued and again when a worker takes the job.
 */
export const QUEUE_NAMES = ['events', 'steps', 'campaign-runs', 'campaigns', 'maintenance', 'bookings'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const uuid = z.uuid();
/** Most appointment events one `appointment.notify` job carries (the relay cuts them so). */
export const NOTIFY_EVENTS_PER_JOB = 100;

/**
 * An outbox event as a batch job carries it (src/events/outbox-store.ts, OutboxEventRow): exactly the
 * row's columns and their database types, so that every row the relay claims passes (a row that did
 * not would hold the relay back). The lanes are spelled out: run-lanes.ts imports this catalog.
 */
const outboxEventRow = z.object({
  id: z.string().regex(/^\d+$/),
  account_id: z.string().min(1),
  type: z.string(),
  contact_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  lane: z.enum(['interactive', 'campaign']),
});

export const jobCatalog = {
  /**
   * One outbox event, read by id: enrol matching workflows, resume runs waiting for it. The relay
   * sends events as `event.batch` now; this job is what a failed batch falls back to, one per event
   * (id `event.<id>`), and what jobs queued before batching still run. `campaignQueue`: an event a
   * campaign's work caused goes to the campaign lane's queue instead (src/queue/run-lanes.ts), as do
   * a run's jobs on that lane.
   */
  'event.process': {
    queue: 'events',
    campaignQueue: 'campaign-runs',
    payload: z.object({
      eventId: z.string().regex(/^\d+$/),
      /** A failed batch's job id (its events' runs are this job's to restart, src/triggers/event-batch.ts). */
      batch: z.string().max(200).optional(),
    }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /**
   * The non-booking events of one relay transaction, carried whole (never read again by id), in id
   * order: processed with a few statements for the whole batch (src/triggers/event-batch.ts). If the
   * batch fails, each of its events is handed to an `event.process` job of its own, so that a poison
   * event fails alone. Bounded by count and bytes by the relay; on the campaign lane like `event.process`.
   */
  'event.batch': {
    queue: 'events',
    campaignQueue: 'campaign-runs',
    payload: z.object({ events: z.array(outboxEventRow).min(1) }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /** Execute one step of one run. Attempts and backoff come from the step's retry policy. */
  'step.execute': {
    queue: 'steps',
    campaignQueue: 'campaign-runs',
    payload: z.object({ runId: uuid, stepId: z.string().min(1) }),
    options: {},
  },
  /**
   * Start new runs of one workflow version (a campaign batch's, src/triggers/campaigns.ts): their first
   * steps executed in this job, up to 16 runs at once, each going on inline as a step job would
   * (src/engine/inline-start.ts), instead of a `step.execute` job each. A run whose start fails around
   * its steps is handed to a `step.execute` job; with PostgreSQL away the job waits it out. On the
   * lane of its runs.
   */
  'runs.start': {
    queue: 'steps',
    campaignQueue: 'campaign-runs',
    payload: z.object({
      workflowId: uuid,
      version: z.number().int().positive(),
      steps: z
        .array(z.object({ runId: uuid, stepId: z.string().min(1), lane: z.enum(['interactive', 'campaign']) }))
        .min(1)
        .max(100),
    }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /** A waiting step's timer ran out: take its onTimeout exit, unless an event resumed it first. */
  'step.timeout': {
    queue: 'steps',
    campaignQueue: 'campaign-runs',
    payload: z.object({ runId: uuid, stepId: z.string().min(1) }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /** One batch of a campaign enrolment (by tag or by contact ids), continued by the next batch job. */
  'campaign.batch': {
    queue: 'campaigns',
    payload: z.object({
      campaignId: uuid,
      accountId: uuid,
      workflowId: uuid,
      tag: z.string().optional(),
      contactIds: z.array(uuid).optional(),
      after: z.string().nullable(),
    }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /**
   * A slice of a contact import or bulk action (src/contacts/import): up to 10 batches from the
   * import's stored cursor, then the next slice. Low-priority bulk work beside campaigns; the cursor
   * lives in Postgres, so a redelivered or duplicated slice continues where the last batch stopped.
   */
  'contacts.import': {
    queue: 'campaigns',
    payload: z.object({ importId: uuid, from: z.number().int().min(0) }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /**
   * A booking event (`appointment.*`, `link.*`), relayed to its own queue so bookings move on even
   * when the events queue is busy: resume the contact's runs waiting for it, enrol triggered workflows.
   */
  'booking.process': {
    queue: 'bookings',
    campaignQueue: 'campaign-runs',
    payload: z.object({
      eventId: z.string().regex(/^\d+$/),
      /** A failed batch's job id (its events' runs are this job's to restart, src/triggers/event-batch.ts). */
      batch: z.string().max(200).optional(),
    }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /**
   * The booking events of one relay transaction, carried whole like `event.batch` (never read again by
   * id), in id order, on the bookings queue (src/triggers/booking-batch.ts). If the batch fails, each
   * of its events is handed to a `booking.process` job of its own, so that a poison event fails alone.
   */
  'booking.batch': {
    queue: 'bookings',
    campaignQueue: 'campaign-runs',
    payload: z.object({ events: z.array(outboxEventRow).min(1) }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  },
  /**
   * The emails of the `appointment.booked` / `.rescheduled` / `.cancelled` events of one relay
   * transaction (up to 100, carried as `events`; jobs queued before named them, `eventIds`, or one,
   * `eventId`, and are still run, reading the events by id): a
   * confirmation to the contact and a notice to the calendar's owner (src/booking/appointment-notifications.ts).
   * Each email's message row is its guard, so a retry after a transient SMTP failure sends only what
   * did not go out. 10 attempts, exponential from 2 s: about 17 minutes of SMTP trouble.
   */
  'appointment.notify': {
    queue: 'bookings',
    payload: z.union([
      z.object({ events: z.array(outboxEventRow).min(1).max(NOTIFY_EVENTS_PER_JOB) }),
      z.object({ eventIds: z.array(z.string().regex(/^\d+$/)).min(1).max(NOTIFY_EVENTS_PER_JOB) }),
      z.object({ eventId: z.string().regex(/^\d+$/) }),
    ]),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 2000 } },
  },
  /** Repeating (every 60 s): mark one-time links past their time expired and emit `link.expired` once each. */
  'links.expire': {
    queue: 'maintenance',
    payload: z.object({}),
    options: { attempts: 1 },
  },
  /** Every minute: re-enqueue runs whose job or timer Redis lost (src/engine/run-sweeper.ts). */
  'runs.sweep': {
    queue: 'maintenance',
    payload: z.object({}),
    options: { attempts: 1 },
  },
  /**
   * Every minute: delete what is kept no longer, in small batches within a time budget (published
   * outbox events, finished runs with their steps and messages, spent links: src/roles/retention.ts).
   */
  'retention.prune': {
    queue: 'maintenance',
    payload: z.object({}),
    options: { attempts: 1 },
  },
  /**
   * Every 15 s: ANALYZE the tables that changed much since their last ANALYZE (and VACUUM them where
   * autovacuum is off), so that no cached plan stays the one made for an empty table
   * (src/db/planner-statistics.ts).
   */
  'tables.analyze': {
    queue: 'maintenance',
    payload: z.object({}),
    options: { attempts: 1 },
  },
} as const satisfies Record<
  string,
  { queue: QueueName; campaignQueue?: QueueName; payload: z.ZodType; options: JobsOptions }
>;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['payload']>;

/**
 * How long BullMQ keeps finished jobs, by time only. A re-added job id is a no-op while its job is
 * kept, but nothing relies on that: a job that runs again finds its work done in PostgreSQL (step
 * claims, enrol keys, message keys, import cursors; see docs/architecture.md, "Deduplication").
 * Completed jobs are kept a minute, for a look at what just ran: at 2,000 jobs/s that is about
 * 120,000 jobs (~70 MB of Redis), and the memory grows with the rate, never with a count left to
 * fill. Failed jobs are kept a week: the run sweeper reads the newest of them (failed-step-jobs.ts).
 */
export const COMPLETED_JOB_RETENTION_SECONDS = 60;
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: COMPLETED_JOB_RETENTION_SECONDS },
  removeOnFail: { age: 7 * 24 * 3600 },
};
