import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import { createEngineResources } from '../../../src/roles/engine-resources';
import { claimStep, failStepAndRun, markStepWaiting, recordStepError } from '../../../src/engine/run-step-store';
import { executeStep } from '../../../src/engine/step-processor';
import { enrolByHand, finishOne, runsOf, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/** An HTTP server that holds each request until the test releases it. */
function heldServer() {
  const arrived: { url: string; release: (body: unknown) => void }[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      arrived.push({
        url: req.url ?? '',
        release: (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
      });
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  return {
    arrived,
    /** Resolves once `count` requests have arrived. */
    requests: async (count: number) => {
      while (arrived.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return arrived;
    },
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('claims of a step are fenced by their owner', () => {
  let env: TestEnv;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('lets only the latest claim record: a worker whose step was claimed again records nothing and does not advance', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'fenced', [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'second', type: 'add_tag', tag: 'b' },
    ]);
    const db = env.container.db.manager;
    const a = await claimStep(db, { runId, stepId: 'first', type: 'add_tag' });
    // The job is declared stalled and handed to another worker, which claims the same step again.
    const b = await claimStep(db, { runId, stepId: 'first', type: 'add_tag' });
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(b!.claimToken).not.toBe(a!.claimToken);
    expect(b!.attempts).toBe(2);

    const stale = { runId, stepId: 'first', claimToken: a!.claimToken };
    await recordStepError(db, { ...stale, error: 'stale error' });
    expect(await markStepWaiting(db, { ...stale, output: {}, event: 'x', until: null })).toBe(false);
    expect(await failStepAndRun(db, { ...stale, type: 'add_tag', error: 'stale' })).toBe(false);
    expect(
      (await finishOne(db, { ...stale, status: 'completed', output: { by: 'a' }, nextStepId: 'second' })).finished,
    ).toBe(false);
    expect(await stepsOf(env.container, runId)).toEqual([
      { step_id: 'first', status: 'running', attempts: 2, output: null, error: null },
    ]);
    const [run] = await env.container.db.query('SELECT status, current_step_id FROM runs WHERE id = $1', [runId]);
    expect(run).toEqual({ status: 'running', current_step_id: 'first' });

    const owner = { runId, stepId: 'first', claimToken: b!.claimToken };
    expect(
      (await finishOne(db, { ...owner, status: 'completed', output: { by: 'b' }, nextStepId: 'second' })).finished,
    ).toBe(true);
    expect(await stepsOf(env.container, runId)).toEqual([
      { step_id: 'first', status: 'completed', attempts: 2, output: { by: 'b' }, error: null },
    ]);
  });

  it('ends with exactly one completion, recorded by the later execution, when two executions of a step race', async () => {
    const sink = heldServer();
    const base = await sink.start();
    const engine = createEngineResources(env.container);
    try {
      const { runId, workflowId } = await enrolByHand(env.container, accountId, 'race', [
        { id: 'hook', type: 'webhook', url: `${base}/hook`, retry: { attempts: 1, backoff: 100 } },
        { id: 'after', type: 'webhook', url: `${base}/after`, retry: { attempts: 1, backoff: 100 } },
      ]);
      // Two real jobs for the same step, as after a stalled lock: the first worker is still executing.
      const queue = env.container.queues.queue('steps');
      await env.container.queues.add('step.execute', { runId, stepId: 'hook' }, { jobId: 'race-a', attempts: 1 });
      await env.container.queues.add('step.execute', { runId, stepId: 'hook' }, { jobId: 'race-b', attempts: 1 });
      const [jobA, jobB] = (await Promise.all([queue.getJob('race-a'), queue.getJob('race-b')])) as [Job, Job];

      const first = executeStep(env.container, engine.resources, { runId, stepId: 'hook' }, jobA);
      await sink.requests(1);
      const second = executeStep(env.container, engine.resources, { runId, stepId: 'hook' }, jobB);
      const [requestA, requestB] = await sink.requests(2);
      // The first execution's answer arrives after the second claimed the step: it must not record.
      requestA!.release({ answeredTo: 'first' });
      // Either it stops (fenced out) or it goes on to the next step; only then does the second answer.
      await Promise.race([first, sink.requests(3)]);
      requestB!.release({ answeredTo: 'second' });
      (await sink.requests(3))[2]!.release({ ok: true });
      await Promise.all([first, second]);

      expect(sink.arrived.map((request) => request.url)).toEqual(['/hook', '/hook', '/after']);
      expect((await runsOf(env.container, workflowId))[0]!.status).toBe('completed');
      expect(await stepsOf(env.container, runId)).toEqual([
        {
          step_id: 'hook',
          status: 'completed',
          attempts: 2,
          output: { status: 200, body: { answeredTo: 'second' } },
          error: null,
        },
        {
          step_id: 'after',
          status: 'completed',
          attempts: 1,
          output: { status: 200, body: { ok: true } },
          error: null,
        },
      ]);
    } finally {
      await engine.close();
      await sink.stop();
    }
  });
});
