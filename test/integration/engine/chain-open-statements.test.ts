import type { Job } from 'bullmq';
import { loadRunContext } from '../../../src/actions/run-context';
import type { StepExecutor, StepExecutors } from '../../../src/engine/action-contract';
import type { EngineResources } from '../../../src/engine/engine-resources';
import { cancelRun } from '../../../src/engine/run-cancel';
import { claimStep } from '../../../src/engine/run-step-store';
import { findRun } from '../../../src/engine/run-store';
import { executeStep } from '../../../src/engine/step-processor';
import { jobIds } from '../../../src/queue/job-ids';
import { createEngineResources } from '../../../src/roles/engine-resources';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { enrolByHand, finishOne, stepsOf } from '../../helpers/engine';
import { seqScannedTables } from '../../helpers/query-plans';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { watchStatements } from '../../helpers/statement-watch';

/** The statement that opens a step job: the claim, the run and the context's rows (openStep). */
const OPENING = /^WITH opens AS \( .* INSERT INTO run_steps .* JOIN runs r .* FROM contacts .* FROM accounts /;

describe('opening a step job with one statement', () => {
  let env: TestEnv;
  let accountId: string;
  let sink: CaptureServer;
  let engine: ReturnType<typeof createEngineResources>;
  let sent: ReturnType<typeof watchStatements>;

  beforeAll(async () => {
    env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    ({ accountId } = await createTestAccount(env.container));
    sink = await startCaptureServer((request) => ({ status: 200, body: { echoed: request.url, n: 7 } }));
    engine = createEngineResources(env.container);
    sent = watchStatements();
  });
  afterAll(async () => {
    sent.restore();
    await engine.close();
    await sink.close();
    await env.cleanup();
  });

  const db = () => env.container.db.manager;
  const runOf = async (runId: string) =>
    (await env.container.db.query('SELECT status, current_step_id, error FROM runs WHERE id = $1', [runId]))[0] as {
      status: string;
      current_step_id: string | null;
      error: string | null;
    };

  /**
   * The engine's resources, watched: for every step, the statements the job had sent when the step's
   * action began, and the context the step was given beside a fresh load at that moment, as JSON.
   */
  function watched() {
    const seen: { stepId: string; statementsBefore: string[]; carried: string; fresh: string }[] = [];
    const watch = (executor: StepExecutor): StepExecutor => ({
      ...executor,
      execute: async (ctx) => {
        const statementsBefore = [...sent];
        const run = (await findRun(db(), ctx.runId))!;
        const { slug, name } = ctx.context.workflow;
        const fresh = await loadRunContext(db(), { run, workflow: { slug, name }, config: env.config });
        seen.push({
          stepId: ctx.step.id,
          statementsBefore,
          carried: JSON.stringify(ctx.context),
          fresh: JSON.stringify(fresh),
        });
        return executor.execute(ctx);
      },
    });
    const executors = Object.fromEntries(
      Object.entries(engine.resources.executors).map(([type, executor]) => [type, watch(executor as StepExecutor)]),
    ) as StepExecutors;
    const resources: EngineResources = { ...engine.resources, executors };
    return { resources, seen };
  }

  /** Runs the job of (run, step) once, in this process, with the workflow's version already cached. */
  async function runJob(resources: EngineResources, runId: string, stepId: string, workflowId: string) {
    await resources.loadVersion(db(), workflowId, 1);
    const jobId = `open-${runId}-${stepId}`;
    await env.container.queues.add('step.execute', { runId, stepId }, { jobId, attempts: 1 });
    const job = (await env.container.queues.queue('steps').getJob(jobId)) as Job;
    sent.splice(0);
    await executeStep(env.container, resources, { runId, stepId }, job);
  }

  it("sends one statement before the action of a job whose step is the run's first", async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-first', [
      {
        id: 'hook',
        type: 'webhook',
        url: `${sink.url}/first`,
        body: { who: '{{contact.email}}', in: '{{account.name}}' },
      },
      { id: 'done', type: 'end' },
    ]);
    const { resources, seen } = watched();
    await runJob(resources, runId, 'hook', workflowId);

    // `done` (an end) is recorded with the finish of `hook`, not executed.
    expect(seen.map((step) => step.stepId)).toEqual(['hook']);
    expect(seen[0]!.statementsBefore).toEqual([expect.stringMatching(OPENING)]);
    for (const step of seen) expect(step.carried).toBe(step.fresh);
    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['hook', 'completed', 1],
      ['done', 'completed', 1],
    ]);
    expect(JSON.parse(sink.requests.find((request) => request.url === '/first')!.body)).toEqual({
      who: 'open-first@example.com',
      in: expect.any(String),
    });
  });

  it('carries the earlier outputs, the contact and the account of a later step in that one statement, as a fresh load shows them', async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-later', [
      { id: 'ask', type: 'webhook', url: `${sink.url}/ask` },
      {
        id: 'tell',
        type: 'webhook',
        url: `${sink.url}/tell?n={{steps.ask.body.n}}`,
        body: { steps: '{{json steps}}', contact: '{{json contact}}', account: '{{json account}}' },
      },
      { id: 'done', type: 'end' },
    ]);
    // What the contact looks like matters: nested key order, an unsubscribe time, microseconds.
    await env.container.db.query(
      `UPDATE contacts SET custom_fields = '{"b": 1, "a": {"d": [2, 1], "c": "x"}}', tags = '{z,a}',
         email_unsubscribed_at = '2024-03-01 10:00:00.123999+00', updated_at = '2024-03-02 10:00:00.999999+00'
       WHERE id = (SELECT contact_id FROM runs WHERE id = $1)`,
      [runId],
    );
    // `ask` was recorded by an earlier job.
    const claim = (await claimStep(db(), { runId, stepId: 'ask', type: 'webhook' }))!;
    const output = { status: 200, body: { n: 7, echoed: '/ask', nested: { z: 1, a: 2 } } };
    expect(
      (
        await finishOne(db(), {
          runId,
          stepId: 'ask',
          claimToken: claim.claimToken,
          status: 'completed',
          output,
          nextStepId: 'tell',
        })
      ).finished,
    ).toBe(true);

    const { resources, seen } = watched();
    await runJob(resources, runId, 'tell', workflowId);

    expect(seen.map((step) => step.stepId)).toEqual(['tell']);
    expect(seen[0]!.statementsBefore).toEqual([expect.stringMatching(OPENING)]);
    for (const step of seen)
      expect({ step: step.stepId, context: step.carried }).toEqual({ step: step.stepId, context: step.fresh });
    const tell = sink.requests.find((request) => request.url.startsWith('/tell'))!;
    expect(tell.url).toBe('/tell?n=7');
    const body = JSON.parse(tell.body);
    expect(JSON.parse(body.steps)).toEqual({ ask: output });
    expect(JSON.parse(body.contact)).toMatchObject({
      customFields: { b: 1, a: { d: [2, 1], c: 'x' } },
      tags: ['z', 'a'],
      unsubscribedFromEmail: true,
      updatedAt: '2024-03-02T10:00:00.999Z',
    });
    expect(JSON.parse(body.account)).toEqual({ id: accountId, name: expect.any(String), timezone: expect.any(String) });
  });

  it('ends the job of a cancelled run with its one statement, claiming nothing', async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-cancelled', [
      { id: 'hook', type: 'webhook', url: `${sink.url}/cancelled` },
    ]);
    await env.container.db.transaction((tx) => cancelRun(tx, runId));
    const { resources, seen } = watched();
    await runJob(resources, runId, 'hook', workflowId);

    expect([...sent]).toEqual([expect.stringMatching(OPENING)]);
    expect(seen).toEqual([]);
    expect(await stepsOf(env.container, runId)).toEqual([]);
    expect((await runOf(runId)).status).toBe('cancelled');
    expect(sink.requests.filter((request) => request.url === '/cancelled')).toEqual([]);
  });

  it('claims again, once, a step whose earlier job died after claiming it, and fences the old claim out', async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-reclaimed', [
      { id: 'hook', type: 'webhook', url: `${sink.url}/reclaimed` },
      { id: 'done', type: 'end' },
    ]);
    const dead = (await claimStep(db(), { runId, stepId: 'hook', type: 'webhook' }))!;
    const { resources, seen } = watched();
    await runJob(resources, runId, 'hook', workflowId);

    expect(seen[0]!.statementsBefore).toEqual([expect.stringMatching(OPENING)]);
    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['hook', 'completed', 2],
      ['done', 'completed', 1],
    ]);
    expect(sink.requests.filter((request) => request.url === '/reclaimed')).toHaveLength(1);
    const stale = { runId, stepId: 'hook', claimToken: dead.claimToken, status: 'completed' as const };
    expect((await finishOne(db(), { ...stale, output: {}, nextStepId: null })).finished).toBe(false);
  });

  it('leaves a completed step alone and enqueues the step the run stands at', async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-redelivered', [
      { id: 'first', type: 'webhook', url: `${sink.url}/redelivered-first` },
      { id: 'second', type: 'webhook', url: `${sink.url}/redelivered-second` },
    ]);
    const claim = (await claimStep(db(), { runId, stepId: 'first', type: 'webhook' }))!;
    const record = { runId, stepId: 'first', claimToken: claim.claimToken, status: 'completed' as const };
    await finishOne(db(), { ...record, output: { status: 200 }, nextStepId: 'second' });
    const { resources, seen } = watched();
    await runJob(resources, runId, 'first', workflowId);

    expect(seen).toEqual([]);
    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['first', 'completed', 1],
    ]);
    const next = await env.container.queues.queue('steps').getJob(jobIds.step(runId, 'second'));
    expect(next?.data).toEqual({ runId, stepId: 'second' });
  });

  it('reads every table of its opening statement by an index (planned with sequential scans ruled out)', async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-planned', [
      { id: 'hook', type: 'webhook', url: `${sink.url}/planned` },
      { id: 'done', type: 'end' },
    ]);
    await runJob(engine.resources, runId, 'hook', workflowId);
    const opening = sent.find((text) => OPENING.test(text))!;
    // On these small tables a sequential scan may be cheapest; with it ruled out, one that remains has no index.
    const plan = await env.container.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const rows = await tx.query(`EXPLAIN (FORMAT JSON) ${opening}`, [[runId], ['done']]);
      return rows[0]['QUERY PLAN'][0].Plan;
    });
    const tables = ['runs', 'run_steps', 'workflow_versions', 'contacts', 'accounts'];
    expect(seqScannedTables(plan, tables)).toEqual([]);
    expect(JSON.stringify(plan)).toMatch(/Index/);
  });

  it('fails the run, claiming nothing, when its version has no such step', async () => {
    const { runId, workflowId } = await enrolByHand(env.container, accountId, 'open-ghost', [
      { id: 'hook', type: 'webhook', url: `${sink.url}/ghost` },
    ]);
    const { resources } = watched();
    await runJob(resources, runId, 'ghost', workflowId);

    expect(await stepsOf(env.container, runId)).toEqual([]);
    expect(await runOf(runId)).toMatchObject({
      status: 'failed',
      error: "step 'ghost' is not in version 1 of the workflow",
    });
  });
});
