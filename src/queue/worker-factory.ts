import { Worker, type Job } from 'bullmq';
import { createRedis } from './redis';
import { jobCatalog, type JobName, type JobPayload, type QueueName } from './job-catalog';
import type { Logger } from '../lib/logger';

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
  // Our own connection, so that closing this worker closes it (BullMQ leaves passed-in connections open).
  const connection = createRedis({ url: options.redisUrl });
  const worker = new Worker(
    queue,
    async (job: Job) => {
      const name = job.name as JobName;
      const entry = jobCatalog[name];
      const handler = handlers[name] as JobHandler<JobName> | undefined;
      if (!entry || entry.queue !== queue || !handler) throw new Error(`no handler for job '${job.name}' on queue '${queue}'`);
      const payload = entry.payload.parse(job.data);
      await handler(payload, job);
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
