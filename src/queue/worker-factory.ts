import { DelayedError, Worker, type Job } from 'bullmq';
import { isDatabaseUnavailable } from '../db/unavailable';
import { createRedis } from './redis';
import { jobCatalog, type JobName, type JobPayload, type QueueName } from './job-catalog';
import { queueTakes } from './run-lanes';
import type { Logger } from '../lib/logger';

/** How long a job waits before trying again while PostgreSQL is unreachable. */
const DATABASE_RETRY_MS = 2000;

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job) => Promise<void>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

export interface WorkerFactoryOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  logger: Logger;
}

/** One BullMQ worker for a queue; validates every payload on dequeue and dispatches by job name. */
export function createWorker(queue: QueueName, handlers: JobHandlers, options: WorkerFactoryOptions): Worker {
  const log = options.logger.child({ queue });
  let databaseDown = false;
  // Our own connection, so that closing this worker closes it (BullMQ leaves passed-in connections open).
  const connection = createRedis({ url: options.redisUrl });
  const worker = new Worker(
    queue,
    async (job: Job) => {
      const name = job.name as JobName;
      const entry = jobCatalog[name];
      const handler = handlers[name] as JobHandler<JobName> | undefined;
      if (!entry || !queueTakes(queue, name) || !handler)
        throw new Error(`no handler for job '${job.name}' on queue '${queue}'`);
      const payload = entry.payload.parse(job.data);
      try {
        await handler(payload, job);
      } catch (error) {
        if (error instanceof DelayedError || !isDatabaseUnavailable(error)) throw error;
        // PostgreSQL is down: wait it out without spending one of the job's attempts, so that no run
        // is stranded as "running" with its job given up. (BullMQ keeps the job in Redis meanwhile.)
        if (!databaseDown)
          log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'database unavailable, delaying jobs',
          );
        databaseDown = true;
        await job.moveToDelayed(Date.now() + DATABASE_RETRY_MS, job.token);
        throw new DelayedError();
      }
      if (databaseDown) log.info('database available again');
      databaseDown = false;
    },
    {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 10,
      autorun: false,
    },
  );
  worker.on('failed', (job, error) => {
    log.warn({ jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, err: error }, 'job attempt failed');
  });
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  worker.on('closed', () => connection.disconnect());
  return worker;
}
