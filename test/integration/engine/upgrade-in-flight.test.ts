import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { enrolByHand, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

/**
 * Work that the previous build left in Redis must run on this one. The jobs below are written with
 * plain BullMQ, their names, ids and payloads spelled out as literals: they are the on-the-wire
 * contract (src/queue/job-catalog.ts, src/queue/job-ids.ts), so a rename there fails here.
 * The rows are the ones the previous build wrote for a waiting run and for a run retried by hand.
 */
describe('upgrading with runs in flight', () => {
  let env: TestEnv;
  let accountId: string;
  let redis: Redis;
  let steps: Queue;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    redis = new Redis(env.config.REDIS_URL, { maxRetriesPerRequest: null });
    steps = new Queue('steps', { connection: redis, prefix: env.config.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await workers?.close();
    await steps.close();
    redis.disconnect();
    await env.cleanup();
  });

  const runOf = async (runId: string) =>
    (
      (await env.container.db.query('SELECT status, error, current_step_id FROM runs WHERE id = $1', [runId])) as {
        status: string;
        error: string | null;
        current_step_id: string | null;
      }[]
    )[0]!;

  /** A run parked on `pause` whose timer, armed by the previous build, fires a few hundred ms from now. */
  async function waitingRunOfPreviousBuild(): Promise<string> {
    const { runId } = await enrolByHand(env.container, accountId, 'upgrade-wait', [
      {
        id: 'pause',
        type: 'wait',
        duration: '1h',
        event: 'upgrade.never',
        onEvent: 'by-event',
        onTimeout: 'timed-out',
      },
      { id: 'by-event', type: 'end' },
      { id: 'timed-out', type: 'add_tag', tag: 'timed-out' },
    ]);
    const until = new Date(Date.now() + 300);
    const wait = { event: 'upgrade.never', until: until.toISOString(), onEvent: 'by-event', onTimeout: 'timed-out' };
    await env.container.db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, output, claim_token)
       VALUES ($1, 'pause', 'wait', 0, 'waiting', 1, $2, gen_random_uuid())`,
      [runId, JSON.stringify({ wait })],
    );
    await env.container.db.query(
      `UPDATE runs SET status = 'waiting', current_step_id = 'pause', wait_event = 'upgrade.never', wait_until = $2 WHERE id = $1`,
      [runId, until],
    );
    await steps.add(
      'step.timeout',
      { runId, stepId: 'pause' },
      { jobId: `${runId}.pause.timeout`, delay: 300, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
    );
    return runId;
  }

  /** A run whose `tag` step failed once and that an operator retried just before the upgrade. */
  async function retriedRunOfPreviousBuild(): Promise<string> {
    const { runId } = await enrolByHand(env.container, accountId, 'upgrade-retry', [
      { id: 'tag', type: 'add_tag', tag: 'retried', retry: { attempts: 1, backoff: 100 } },
    ]);
    // As `retryRun` leaves it: the step running again with its attempt count and last error, no claim.
    await env.container.db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, error, claim_token)
       VALUES ($1, 'tag', 'add_tag', 0, 'running', 1, 'connection reset', NULL)`,
      [runId],
    );
    await env.container.db.query(
      `UPDATE runs SET status = 'running', current_step_id = 'tag', error = NULL WHERE id = $1`,
      [runId],
    );
    await steps.add(
      'step.execute',
      { runId, stepId: 'tag' },
      { jobId: `${runId}.tag.retry1`, attempts: 1, backoff: { type: 'exponential', delay: 100 } },
    );
    return runId;
  }

  it('times out a wait armed by the previous build to its onTimeout step, and runs its retry, once the new workers start', async () => {
    const waitingRunId = await waitingRunOfPreviousBuild();
    const retriedRunId = await retriedRunOfPreviousBuild();

    workers = startWorkers(env.container);

    await waitFor(async () => (await runOf(waitingRunId)).status === 'completed', {
      what: 'the waiting run to complete',
    });
    const waited = await stepsOf(env.container, waitingRunId);
    expect(waited.map((step) => [step.step_id, step.status])).toEqual([
      ['pause', 'completed'],
      ['timed-out', 'completed'],
    ]);
    expect(waited[0]!.output).toMatchObject({ resumedBy: 'timeout' });

    await waitFor(async () => (await runOf(retriedRunId)).status === 'completed', {
      what: 'the retried run to complete',
    });
    expect(await runOf(retriedRunId)).toEqual({ status: 'completed', error: null, current_step_id: null });
    expect(await stepsOf(env.container, retriedRunId)).toEqual([
      expect.objectContaining({ step_id: 'tag', status: 'completed', attempts: 2, error: null }),
    ]);
    const [contact] = await env.container.db.query(
      'SELECT tags FROM contacts c JOIN runs r ON r.contact_id = c.id WHERE r.id = $1',
      [retriedRunId],
    );
    expect(contact.tags).toEqual(['retried']);
  });
});
