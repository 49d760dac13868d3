import type { Job } from 'bullmq';
import { cancelRun } from '../../../src/engine/run-cancel';
import { claimStep } from '../../../src/engine/run-step-store';
import { executeStep } from '../../../src/engine/step-processor';
import { jobIds } from '../../../src/queue/job-ids';
import { createEngineResources } from '../../../src/roles/engine-resources';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { enrolByHand, finishOne, runsOf, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { watchStatements } from '../../helpers/statement-watch';

describe('finishing a step and claiming the next in one statement', () => {
  let env: TestEnv;
  let accountId: string;
  let sink: CaptureServer;

  beforeAll(async () => {
    env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    ({ accountId } = await createTestAccount(env.container));
    sink = await startCaptureServer();
  });
  afterAll(async () => {
    await sink.close();
    await env.cleanup();
  });

  const db = () => env.container.db.manager;
  const runOf = async (runId: string) =>
    (await env.container.db.query('SELECT status, current_step_id FROM runs WHERE id = $1', [runId]))[0] as {
      status: string;
      current_step_id: string;
    };
  const finish = (runId: string, claimToken: string, nextStepId = 'second') =>
    finishOne(db(), {
      runId,
      stepId: 'first',
      claimToken,
      status: 'completed',
      output: { b: 1, a: [2] },
      nextStepId,
      nextType: 'add_tag',
    });

  it('claims the next step only for the holder of the finished one, and moves the run to it', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'fenced-pair', [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'second', type: 'add_tag', tag: 'b' },
    ]);
    const stale = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    const owner = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    expect(stale.seq).toBe(0);

    expect(await finish(runId, stale.claimToken)).toEqual({ finished: false });
    expect((await stepsOf(env.container, runId)).map((step) => step.status)).toEqual(['running']);
    expect(await runOf(runId)).toEqual({ status: 'running', current_step_id: 'first' });

    const done = await finish(runId, owner.claimToken);
    expect(done).toEqual({
      finished: true,
      output: { a: [2], b: 1 },
      claim: { attempts: 1, claimToken: expect.any(String), seq: 1 },
    });
    expect(await stepsOf(env.container, runId)).toEqual([
      { step_id: 'first', status: 'completed', attempts: 2, output: { a: [2], b: 1 }, error: null },
      { step_id: 'second', status: 'running', attempts: 1, output: null, error: null },
    ]);
    expect(await runOf(runId)).toEqual({ status: 'running', current_step_id: 'second' });
    const [times] = await env.container.db.query(
      `SELECT (SELECT finished_at FROM run_steps WHERE run_id = $1 AND step_id = 'first')
            < (SELECT started_at FROM run_steps WHERE run_id = $1 AND step_id = 'second') AS ordered`,
      [runId],
    );
    expect(times).toEqual({ ordered: true });
  });

  it('finishes the step but claims nothing when the next one is past running', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'loop-back', [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'second', type: 'add_tag', tag: 'b' },
    ]);
    await env.container.db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts) VALUES ($1, 'second', 'add_tag', 0, 'completed', 1)`,
      [runId],
    );
    const claim = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    expect(await finish(runId, claim.claimToken)).toEqual({ finished: true, output: { a: [2], b: 1 }, claim: null });
    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['second', 'completed', 1],
      ['first', 'completed', 1],
    ]);
  });

  it('neither finishes nor claims in a run cancelled while its step ran', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'cancelled-pair', [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'second', type: 'add_tag', tag: 'b' },
    ]);
    const claim = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    await env.container.db.transaction((tx) => cancelRun(tx, runId));
    expect(await finish(runId, claim.claimToken)).toEqual({ finished: false });
    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status])).toEqual([
      ['first', 'cancelled'],
    ]);
    expect((await runOf(runId)).status).toBe('cancelled');
  });

  it("runs a step once when its job died after claiming it with the previous step's finish", async () => {
    const engine = createEngineResources(env.container);
    try {
      const { runId, workflowId } = await enrolByHand(env.container, accountId, 'died-between', [
        { id: 'first', type: 'webhook', url: `${sink.url}/first` },
        { id: 'second', type: 'webhook', url: `${sink.url}/second` },
      ]);
      // What the dead job did: ran `first`, then finished it and claimed `second` in one statement.
      const claim = (await claimStep(db(), { runId, stepId: 'first', type: 'webhook' }))!;
      const done = await finishOne(db(), {
        runId,
        stepId: 'first',
        claimToken: claim.claimToken,
        status: 'completed',
        output: { status: 200 },
        nextStepId: 'second',
        nextType: 'webhook',
      });
      expect(done).toMatchObject({ finished: true, claim: { attempts: 1 } });

      // Its redelivery finds its own step completed and enqueues the step the run stands at.
      const steps = env.container.queues.queue('steps');
      await env.container.queues.add('step.execute', { runId, stepId: 'first' }, { jobId: 'redelivered', attempts: 1 });
      await executeStep(
        env.container,
        engine.resources,
        { runId, stepId: 'first' },
        (await steps.getJob('redelivered')) as Job,
      );
      const next = (await steps.getJob(jobIds.step(runId, 'second'))) as Job;
      expect(next.data).toEqual({ runId, stepId: 'second' });
      await executeStep(env.container, engine.resources, { runId, stepId: 'second' }, next);

      expect(sink.requests.filter((request) => request.url.startsWith('/second'))).toHaveLength(1);
      expect(sink.requests.filter((request) => request.url.startsWith('/first'))).toHaveLength(0);
      expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
        ['first', 'completed', 1],
        ['second', 'completed', 2],
      ]);
      expect((await runsOf(env.container, workflowId))[0]!.status).toBe('completed');
    } finally {
      await engine.close();
    }
  });

  it('records an end after the finished step in the same statement: the end completed, the run completed, nothing claimed', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'ends-with-finish', [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'stop', type: 'end' },
    ]);
    const stale = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    const owner = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    const endAfter = (claimToken: string) =>
      finishOne(db(), {
        runId,
        stepId: 'first',
        claimToken,
        status: 'completed',
        output: { added: ['a'] },
        nextStepId: 'stop',
        nextType: 'end',
      });
    // Fenced like any finish: the stale claim records nothing, the end neither.
    expect(await endAfter(stale.claimToken)).toEqual({ finished: false });
    expect((await stepsOf(env.container, runId)).map((step) => step.step_id)).toEqual(['first']);

    expect(await endAfter(owner.claimToken)).toEqual({
      finished: true,
      output: { added: ['a'] },
      claim: null,
      ended: true,
    });
    const rows: { step_id: string; status: string; output: unknown; seq: number; next_step_id: string | null }[] =
      await env.container.db.query(
        `SELECT step_id, status, output, seq, next_step_id FROM run_steps WHERE run_id = $1 ORDER BY seq`,
        [runId],
      );
    // What executing the end would have recorded.
    expect(rows).toEqual([
      { step_id: 'first', status: 'completed', output: { added: ['a'] }, seq: 0, next_step_id: 'stop' },
      { step_id: 'stop', status: 'completed', output: {}, seq: 1, next_step_id: null },
    ]);
    const [run] = await env.container.db.query(
      `SELECT status, current_step_id, finished_at IS NOT NULL AS finished FROM runs WHERE id = $1`,
      [runId],
    );
    expect(run).toEqual({ status: 'completed', current_step_id: null, finished: true });
    // Done once: the finish repeated (a redelivery) changes nothing.
    expect(await endAfter(owner.claimToken)).toEqual({ finished: false });
  });

  it('ends an end step left running by an earlier claim of it, when the step before is finished again', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'end-left-running', [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'stop', type: 'end' },
    ]);
    const first = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
    // A build before the end was recorded with the finish claimed it running (its job died there).
    await claimStep(db(), { runId, stepId: 'stop', type: 'end' });
    const done = await finishOne(db(), {
      runId,
      stepId: 'first',
      claimToken: first.claimToken,
      status: 'completed',
      output: {},
      nextStepId: 'stop',
      nextType: 'end',
    });
    expect(done).toMatchObject({ finished: true, ended: true });
    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status])).toEqual([
      ['first', 'completed'],
      ['stop', 'completed'],
    ]);
    expect(await runOf(runId)).toEqual({ status: 'completed', current_step_id: null });
  });

  it('claims each inline step with the record of the one before, and reads the context once per job', async () => {
    const engine = createEngineResources(env.container);
    const sent = watchStatements();
    try {
      const { runId } = await enrolByHand(env.container, accountId, 'counted', [
        { id: 'first', type: 'webhook', url: `${sink.url}/counted` },
        { id: 'second', type: 'webhook', url: `${sink.url}/counted` },
        { id: 'third', type: 'end' },
      ]);
      await env.container.queues.add('step.execute', { runId, stepId: 'first' }, { jobId: 'counted', attempts: 1 });
      const job = (await env.container.queues.queue('steps').getJob('counted')) as Job;
      sent.splice(0);
      await executeStep(env.container, engine.resources, { runId, stepId: 'first' }, job);
      expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
        ['first', 'completed', 1],
        ['second', 'completed', 1],
        ['third', 'completed', 1],
      ]);
      const count = (head: string) => sent.filter((sql) => sql.startsWith(head)).length;
      // Only the job's own step has a claim of its own; the others are claimed by the finish before them.
      expect(count('WITH opens AS')).toBe(1);
      // `third` is an end: recorded completed, with the run, by the finish of `second`.
      expect(count('WITH finishes AS')).toBe(2);
      // The contact and the account came with the job's claim (openStep), in the same statement.
      expect(count('SELECT id, email, phone')).toBe(0);
      expect(count('SELECT id, name, timezone')).toBe(0);
      // The job's step was the run's first: there were no earlier outputs to read.
      expect(count('SELECT step_id, type, output FROM run_steps')).toBe(0);
    } finally {
      sent.restore();
      await engine.close();
    }
  });
});
