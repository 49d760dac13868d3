/**
 * Bare BullMQ on the same Redis, in the same run: no-op jobs added with addBulk and processed by one
 * worker at the app's concurrency. The ceiling the engine's queue work is compared with.
 */
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../src/queue/redis';
import { settings, type BenchContext, type PathResult } from './bench-context';

export async function benchBareBullmq(context: BenchContext, count: number): Promise<PathResult> {
  const { config } = context.env;
  const connection = createRedis({ url: config.REDIS_URL });
  const prefix = `${config.QUEUE_PREFIX}_bare`;
  const queue = new Queue('noop', { connection, prefix });
  const jobs = Array.from({ length: count }, (_, i) => ({
    name: 'noop',
    data: { i },
    opts: { removeOnComplete: true },
  }));
  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker('noop', async () => undefined, {
    connection: createRedis({ url: config.REDIS_URL }),
    prefix,
    concurrency: settings.concurrency,
    autorun: false,
  });
  worker.on('completed', () => {
    if (++done === count) finish();
  });
  await worker.waitUntilReady();
  const window = await context.meter.begin();
  const started = performance.now();
  void worker.run();
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  // No PostgreSQL here: no settle, the next window counts commits from the last reading.
  const cost = await context.meter.end(window, count, await context.meter.mark(), { withoutPostgres: true });
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return {
    key: 'bare',
    path: `bare BullMQ no-op jobs (addBulk, concurrency ${settings.concurrency}, same Redis), ${count} jobs`,
    unit: 'job',
    count,
    throughput: { perSec: count / seconds, label: 'jobs/s' },
    cost,
    appProcesses: ['bench'],
    notes: [],
    target: '',
  };
}
