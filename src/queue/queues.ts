import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  DEFAULT_JOB_OPTIONS,
  QUEUE_NAMES,
  jobCatalog,
  type JobName,
  type JobPayload,
  type QueueName,
} from './job-catalog';

export interface EnqueueOptions {
  /** Deduplicates: a job id that exists (waiting, active or kept after completion) is not added twice. */
  jobId?: string;
  delay?: number;
  attempts?: number;
  backoff?: JobsOptions['backoff'];
  /** Put the job at the head of the wait list. Default false. */
  lifo?: boolean;
}

/** The producer side of every queue. Payloads are checked against the job catalog before they leave. */
export class Queues {
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    connection: Redis,
    readonly prefix: string,
  ) {
    this.queues = new Map(
      QUEUE_NAMES.map((name) => {
        const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
        // Connection errors surface where they matter (a failed add, /healthz); the client reconnects by itself.
        queue.on('error', () => undefined);
        return [name, queue];
      }),
    );
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async add<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<void> {
    const entry = jobCatalog[name];
    const data = entry.payload.parse(payload);
    await this.queue(entry.queue).add(name, data, { ...entry.options, ...stripUndefined(options) });
  }

  async addBulk<N extends JobName>(
    name: N,
    jobs: { payload: JobPayload<N>; options?: EnqueueOptions }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    const entry = jobCatalog[name];
    await this.queue(entry.queue).addBulk(
      jobs.map((job) => ({
        name,
        data: entry.payload.parse(job.payload),
        opts: { ...DEFAULT_JOB_OPTIONS, ...entry.options, ...stripUndefined(job.options ?? {}) },
      })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
