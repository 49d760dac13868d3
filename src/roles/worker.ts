import type { Worker } from 'bullmq';
import type { Container } from '../container';
import { startOutboxRelay } from '../events/outbox-relay';
import { createAppointmentNotifier } from '../booking/appointment-notifications';
import { expireLinks, LINK_EXPIRY_EVERY_MS } from '../links/link-expiry';
import { createWorker, type JobHandlers, type WorkerFactoryOptions } from '../queue/worker-factory';
import { CAMPAIGN_QUEUE } from '../queue/run-lanes';
import { onLane } from '../events/event-lane';
import { processEvent, processEventBatch } from '../triggers/event-processor';
import { processBookingBatch } from '../triggers/booking-batch';
import { processCampaignBatch } from '../triggers/campaigns';
import { enrolContactsInWorkflow } from '../triggers/bulk-enrolment';
import { processImportSlice } from '../contacts/import/import-job';
import { RUN_SWEEP_EVERY_MS, sweepRuns } from '../engine/run-sweeper';
import { executeStep } from '../engine/step-processor';
import { startRuns, startStepsInline } from '../engine/inline-start';
import { handleTimeout } from '../engine/wait-resume';
import { createEngineResources } from './engine-resources';
import { pruneRetainedData, RETENTION_EVERY_MS } from './retention';
import { refreshStatistics } from './statistics-refresh';
import { STATISTICS_EVERY_MS } from '../db/planner-statistics';
import type { RepeatingJobName } from '../queue/queues';

export interface RunningWorkers {
  /** Stops taking jobs, lets in-flight ones finish, closes the workers' connections. */
  close(): Promise<void>;
}

/**
 * The worker role (`--role worker`, and `all`): the outbox relay and one BullMQ worker per queue, each
 * job name wired to the module that processes it.
 */
export function startWorkers(c: Container): RunningWorkers {
  const options: WorkerFactoryOptions = {
    redisUrl: c.config.REDIS_URL,
    prefix: c.config.QUEUE_PREFIX,
    concurrency: c.config.WORKER_CONCURRENCY,
    lockDurationMs: c.config.JOB_LOCK_MS,
    stalledIntervalMs: c.config.STALLED_CHECK_MS,
    logger: c.logger,
  };
  const engine = createEngineResources(c);
  const { resources } = engine;
  // The runs an event starts begin at once, in the event's job (src/engine/inline-start.ts).
  const start = startStepsInline(c, resources);
  const notifier = createAppointmentNotifier(c);
  const runJobs = {
    'step.execute': (payload, job) => executeStep(c, resources, payload, job),
    'step.timeout': (payload) => handleTimeout(c, resources, payload.runId, payload.stepId),
    'runs.start': (payload) => startRuns(c, resources, payload),
  } satisfies JobHandlers;
  // The campaign lane (src/queue/run-lanes.ts): all of a campaign's work, its runs and the events they
  // cause, at its own share of slots; what it appends to the outbox stays on the lane (onLane).
  const campaignLane: JobHandlers = {
    'step.execute': (payload, job) => onLane('campaign', () => runJobs['step.execute'](payload, job)),
    'step.timeout': (payload) => onLane('campaign', () => runJobs['step.timeout'](payload)),
    'runs.start': (payload) => onLane('campaign', () => runJobs['runs.start'](payload)),
    'event.batch': (payload, job) => onLane('campaign', () => processEventBatch(c, payload.events, start, job.id)),
    'event.process': (payload) => onLane('campaign', () => processEvent(c, payload.eventId, start, payload.batch)),
    'booking.process': (payload) => onLane('campaign', () => processEvent(c, payload.eventId, start, payload.batch)),
    'booking.batch': (payload, job) => onLane('campaign', () => processBookingBatch(c, payload.events, start, job.id)),
  };
  const workers: Worker[] = [
    createWorker(
      'events',
      {
        // The relay's batches; `event.process` runs one event by id: a failed batch's, or one queued before batching.
        'event.batch': (payload, job) => processEventBatch(c, payload.events, start, job.id),
        'event.process': (payload) => processEvent(c, payload.eventId, start, payload.batch),
      },
      options,
    ),
    // One contact's runs (events, bookings, manual and test runs), on a lane a campaign never fills.
    createWorker('steps', runJobs, options),
    ...(c.config.CAMPAIGN_CONCURRENCY > 0
      ? [createWorker(CAMPAIGN_QUEUE, campaignLane, { ...options, concurrency: c.config.CAMPAIGN_CONCURRENCY })]
      : []),
    createWorker(
      'campaigns',
      {
        'campaign.batch': (payload) => processCampaignBatch(c, payload),
        // Contact imports and bulk actions: low-priority bulk work, in slices so campaigns get their turn.
        // Their events (and the runs those start) are campaign work: on the campaign lane.
        'contacts.import': (payload, job) =>
          onLane('campaign', () =>
            processImportSlice(c, { enrol: enrolContactsInWorkflow }, payload, {
              last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
            }),
          ),
      },
      { ...options, concurrency: 1 },
    ),
    // A relayed appointment.* or link.* event: the same processing as any event (resume the runs that
    // wait for it, enrol the workflows it triggers), on a queue of its own so bookings never queue
    // behind a burst of contact events.
    createWorker(
      'bookings',
      {
        // The relay's batches of booking events; `booking.process` runs one by id (a failed batch's, or one queued before batching).
        'booking.batch': (payload, job) => processBookingBatch(c, payload.events, start, job.id),
        'booking.process': (payload) => processEvent(c, payload.eventId, start, payload.batch),
        // The booking's own emails (confirmation, owner notice), one job per appointment event.
        'appointment.notify': (payload, job) => notifier.handle(payload, job),
      },
      options,
    ),
    createWorker(
      'maintenance',
      {
        'links.expire': async () => {
          await expireLinks(c.db);
        },
        'runs.sweep': async () => {
          await sweepRuns(c, resources);
        },
        'retention.prune': async () => {
          await pruneRetainedData(c);
        },
        'tables.analyze': () => refreshStatistics(c),
      },
      { ...options, concurrency: 1 },
    ),
  ];
  // Every worker process upserts the same schedulers: one repeating job each, whoever registers it.
  const repeating: [RepeatingJobName, number][] = [
    ['links.expire', LINK_EXPIRY_EVERY_MS],
    ['runs.sweep', RUN_SWEEP_EVERY_MS],
    ['retention.prune', RETENTION_EVERY_MS],
    ['tables.analyze', STATISTICS_EVERY_MS],
  ];
  for (const [name, everyMs] of repeating)
    c.queues
      .repeat(name, everyMs)
      .catch((error: unknown) => c.logger.warn({ err: error, job: name }, 'cannot schedule a repeating job'));
  for (const worker of workers) void worker.run();
  const relay = startOutboxRelay(c);
  return {
    async close() {
      await relay.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      await engine.close();
      await notifier.close();
    },
  };
}
