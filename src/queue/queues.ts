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
import { queueOf, type RunLane } from './run-lanes';

/** The maintenance jobs that repeat on a timer (Queues.repeat). */
export type RepeatingJobName = 'links.expire' | 'runs.sweep' | 'retention.prune' | 'tables.analyze';

export interface EnqueueOptions {
  /** Deduplicates: a job id that exists (waiting, active or kept after completion) is not added twice. */
  jobId?: string;
  delay?: number;
  attempts?: number;
  backoff?: JobsOptions['backoff'];
  /**
   * The lane of the work (src/queue/run-lanes.ts): on the campaign lane, a job the catalog gives a
   * `campaignQueue` (a run's step or timer, an event) goes to that queue. Default interactive.
   */
  lane?: RunLane;
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
    const { lane, ...jobOptions } = options;
    await this.queue(queueOf(name, lane)).add(name, data, { ...entry.options, ...stripUndefined(jobOptions) });
  }

  /** Adds many jobs, one round trip per queue (jobs of runs on different lanes go to their own queues). */
  async addBulk<N extends JobName>(
    name: N,
    jobs: { payload: JobPayload<N>; options?: EnqueueOptions }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    const entry = jobCatalog[name];
    const byQueue = new Map<QueueName, { name: N; data: unknown; opts: JobsOptions }[]>();
    for (const job of jobs) {
      const { lane, ...jobOptions } = job.options ?? {};
      const queue = queueOf(name, lane);
      const list = byQueue.get(queue) ?? [];
      list.push({
        name,
        data: entry.payload.parse(job.payload),
        opts: { ...DEFAULT_JOB_OPTIONS, ...entry.options, ...stripUndefined(jobOptions) },
      });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queue(queue).addBulk(list)));
  }

  /**
   * Registers `name` (a job of no payload) to repeat every `everyMs` on its queue: one job scheduler
   * whoever registers it, so every worker process may call this at start.
   */
  async repeat(name: RepeatingJobName, everyMs: number): Promise<void> {
    const entry = jobCatalog[name];
    await this.queue(entry.queue).upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data: entry.payload.parse({}), opts: { ...entry.options } },
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
