import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import request from 'supertest';
import { jobIds } from '../../../src/queue/job-ids';
import { claimStep } from '../../../src/engine/run-step-store';
import { retryRun } from '../../../src/engine/run-retry';
import { sweepRuns } from '../../../src/engine/run-sweeper';
import { loadWorkflowVersion } from '../../../src/workflows/workflow-repository';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createApp } from '../../../src/roles/http-app';
import { createRedis } from '../../../src/queue/redis';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { enrolByHand, runsOf, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

describe('every failure of a step ends in a visible, retryable state', () => {
  let env: TestEnv;
  let sink: CaptureServer;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    sink = await startCaptureServer((req) => {
      if (req.url === '/nul') return { status: 200, body: { a: '\u0000', ['k\u0000ey']: ['ok\u0000'] } };
      if (req.url === '/surrogate') return { status: 200, body: { a: '\ud800', b: 'x\udfffy', pair: '\ud83d\ude00' } };
      if (req.url === '/nul-error') return { status: 400, body: 'bad\u0000request' };
      return { status: 200, body: { ok: true } };
    });
  });
  afterAll(async () => {
    await sink.close();
    await env.cleanup();
  });

  const runOf = async (runId: string) =>
    (await env.container.db.query('SELECT status, error FROM runs WHERE id = $1', [runId]))[0] as {
      status: string;
      error: string | null;
    };

  describe('with the step workers running', () => {
    let workers: RunningWorkers;
    beforeAll(() => {
      workers = startWorkers(env.container);
    });
    afterAll(async () => {
      await workers.close();
    });

    it('stores a webhook answer holding NUL or lone surrogates with U+FFFD in their place, and completes the run', async () => {
      const { runId } = await enrolByHand(env.container, accountId, 'unstorable', [
        { id: 'nul', type: 'webhook', url: `${sink.url}/nul`, retry: { attempts: 1, backoff: 100 } },
        { id: 'surrogate', type: 'webhook', url: `${sink.url}/surrogate`, retry: { attempts: 1, backoff: 100 } },
      ]);
      await env.container.queues.add(
        'step.execute',
        { runId, stepId: 'nul' },
        { jobId: jobIds.step(runId, 'nul'), attempts: 1 },
      );
      await waitFor(async () => (await runOf(runId)).status !== 'running', { what: 'the run to end' });
      expect(await runOf(runId)).toEqual({ status: 'completed', error: null });
      const steps = await stepsOf(env.container, runId);
      expect(steps.map((step) => [step.step_id, step.status])).toEqual([
        ['nul', 'completed'],
        ['surrogate', 'completed'],
      ]);
      expect(steps[0]!.output).toEqual({ status: 200, body: { a: '\ufffd', ['k\ufffdey']: ['ok\ufffd'] } });
      expect(steps[1]!.output).toEqual({ status: 200, body: { a: '\ufffd', b: 'x\ufffdy', pair: '\ud83d\ude00' } });
    });

    it('fails the step and the run with an error holding NUL (stored sanitised), instead of leaving them running', async () => {
      const { runId } = await enrolByHand(env.container, accountId, 'unstorable-error', [
        { id: 'hook', type: 'webhook', url: `${sink.url}/nul-error`, retry: { attempts: 1, backoff: 100 } },
      ]);
      await env.container.queues.add(
        'step.execute',
        { runId, stepId: 'hook' },
        { jobId: jobIds.step(runId, 'hook'), attempts: 1 },
      );
      await waitFor(async () => (await runOf(runId)).status !== 'running', { what: 'the run to end' });
      const [step] = await stepsOf(env.container, runId);
      expect(step).toMatchObject({ status: 'failed', error: 'HTTP 400: bad\ufffdrequest' });
      expect(await runOf(runId)).toEqual({ status: 'failed', error: "step 'hook' failed: HTTP 400: bad\ufffdrequest" });
    });

    it('fails the run after the last attempt when its version cannot be loaded, and a retry runs it once it can', async () => {
      const { runId } = await enrolByHand(env.container, accountId, 'broken-version', [
        { id: 'hook', type: 'webhook', url: `${sink.url}/fine` },
      ]);
      const [version] = await env.container.db.query(
        'SELECT workflow_id, definition FROM workflow_versions WHERE workflow_id = (SELECT workflow_id FROM runs WHERE id = $1)',
        [runId],
      );
      await env.container.db.query(
        `UPDATE workflow_versions SET definition = '{"broken": true}' WHERE workflow_id = $1`,
        [version.workflow_id],
      );
      await env.container.queues.add(
        'step.execute',
        { runId, stepId: 'hook' },
        { jobId: jobIds.step(runId, 'hook'), attempts: 2, backoff: { type: 'fixed', delay: 50 } },
      );

      await waitFor(async () => (await runOf(runId)).status === 'failed', { what: 'the run to fail' });
      const [step] = await stepsOf(env.container, runId);
      expect(step).toMatchObject({ step_id: 'hook', status: 'failed', error: expect.any(String) });
      expect((await runOf(runId)).error).toBe(`step 'hook' failed: ${step!.error}`);

      await env.container.db.query('UPDATE workflow_versions SET definition = $2 WHERE workflow_id = $1', [
        version.workflow_id,
        JSON.stringify(version.definition),
      ]);
      await request(createApp(env.container))
        .post(`/api/v1/runs/${runId}/retry`)
        .set('Authorization', `Bearer ${apiKey}`)
        .expect(202);
      await waitFor(async () => (await runOf(runId)).status === 'completed', { what: 'the retried run to complete' });
      expect((await stepsOf(env.container, runId))[0]).toMatchObject({
        step_id: 'hook',
        status: 'completed',
        error: null,
      });
    });
  });

  it("marks a running run whose step job BullMQ gave up on (its failed set) as failed with the job's error, so that it can be retried", async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'given-up', [
      { id: 'hook', type: 'webhook', url: `${sink.url}/fine` },
    ]);
    await claimStep(env.container.db.manager, { runId, stepId: 'hook', type: 'webhook' });
    await env.container.queues.add(
      'step.execute',
      { runId, stepId: 'hook' },
      { jobId: jobIds.step(runId, 'hook'), attempts: 1 },
    );
    // A worker that dies on the job's only attempt, outside anything the step runner could record.
    const connection = createRedis({ url: env.config.REDIS_URL });
    const worker = new Worker('steps', null, { connection, prefix: env.config.QUEUE_PREFIX });
    const token = randomUUID();
    const job = await worker.getNextJob(token);
    expect(job?.id).toBe(jobIds.step(runId, 'hook'));
    await job!.moveToFailed(new Error('worker lost its footing'), token);
    await worker.close();
    connection.disconnect();
    expect(await env.container.queues.queue('steps').getJobState(jobIds.step(runId, 'hook'))).toBe('failed');

    expect(await sweepRuns(env.container, { loadVersion: loadWorkflowVersion })).toBe(1);
    expect((await runsOf(env.container, workflowId))[0]).toMatchObject({
      status: 'failed',
      error: "step 'hook' failed: worker lost its footing",
    });
    expect((await stepsOf(env.container, runId))[0]).toMatchObject({
      status: 'failed',
      error: 'worker lost its footing',
    });
    // Swept once: the next sweep leaves the (now failed) run alone.
    expect(await sweepRuns(env.container, { loadVersion: loadWorkflowVersion })).toBe(0);

    const retried = await retryRun(env.container, { runId, accountId, loadVersion: loadWorkflowVersion });
    expect(retried).toEqual({ runId, stepId: 'hook', jobId: `${jobIds.step(runId, 'hook')}.retry1` });
    // The retried run is running again while the old job still sits in the failed set: the sweep leaves it alone.
    expect(await sweepRuns(env.container, { loadVersion: loadWorkflowVersion })).toBe(0);
    expect((await runsOf(env.container, workflowId))[0]!.status).toBe('running');
  });
});
