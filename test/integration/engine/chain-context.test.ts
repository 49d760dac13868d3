import { Writable } from 'node:stream';
import type { Job } from 'bullmq';
import { loadRunContext } from '../../../src/actions/run-context';
import type { StepExecutor, StepExecutors } from '../../../src/engine/action-contract';
import type { EngineResources } from '../../../src/engine/engine-resources';
import { findRun } from '../../../src/engine/run-store';
import { executeStep } from '../../../src/engine/step-processor';
import { createCalendar } from '../../../src/booking/calendar-service';
import { createLogger } from '../../../src/lib/logger';
import { createEngineResources } from '../../../src/roles/engine-resources';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { enrolByHand, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY } from '../booking/booking-helpers';

describe("a run's context carried through the steps of one job", () => {
  let env: TestEnv;
  let accountId: string;
  let sink: CaptureServer;
  let engine: ReturnType<typeof createEngineResources>;

  beforeAll(async () => {
    env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    ({ accountId } = await createTestAccount(env.container));
    sink = await startCaptureServer((request) => ({ status: 200, body: { echoed: request.url, n: 7 } }));
    engine = createEngineResources(env.container);
  });
  afterAll(async () => {
    await engine.close();
    await sink.close();
    await env.cleanup();
  });

  /**
   * The engine's real resources, watched: how often the whole context is loaded, and for every step
   * the context it was given beside the one a fresh load gives at that moment (as JSON, so that key
   * order, which `{{json}}` shows, counts too).
   */
  function watched(base: EngineResources = engine.resources) {
    const loads: string[] = [];
    const seen: { stepId: string; carried: string; fresh: string }[] = [];
    const watch = (executor: StepExecutor): StepExecutor => ({
      ...executor,
      execute: async (ctx) => {
        const run = (await findRun(env.container.db.manager, ctx.runId))!;
        const { slug, name } = ctx.context.workflow;
        const fresh = await loadRunContext(env.container.db.manager, {
          run,
          workflow: { slug, name },
          config: env.config,
        });
        seen.push({ stepId: ctx.step.id, carried: JSON.stringify(ctx.context), fresh: JSON.stringify(fresh) });
        return executor.execute(ctx);
      },
    });
    const executors = Object.fromEntries(
      Object.entries(base.executors).map(([type, executor]) => [type, watch(executor as StepExecutor)]),
    ) as StepExecutors;
    const resources: EngineResources = {
      ...base,
      executors,
      loadContext: (tx, options) => {
        loads.push(String(options.run.id));
        return base.loadContext(tx, options);
      },
    };
    return { resources, loads, seen };
  }

  /** Runs the job of (run, step) once, in this process, as a worker would. */
  async function runJob(
    resources: EngineResources,
    runId: string,
    stepId: string,
    container = env.container,
  ): Promise<void> {
    const jobId = `chain-${runId}-${stepId}`;
    await env.container.queues.add('step.execute', { runId, stepId }, { jobId, attempts: 1 });
    const job = (await env.container.queues.queue('steps').getJob(jobId)) as Job;
    await executeStep(container, resources, { runId, stepId }, job);
  }

  const setName = (runId: string, firstName: string) =>
    env.container.db.query(
      `UPDATE contacts SET first_name = $2 WHERE id = (SELECT contact_id FROM runs WHERE id = $1)`,
      [runId, firstName],
    );

  it('shows a later step the contact as an earlier inline step changed it, exactly as a fresh load would', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'changed-contact', [
      { id: 'tag', type: 'add_tag', tag: 'VIP-{{contact.first_name}}' },
      { id: 'who', type: 'update_contact', set: { firstName: 'Grace', 'customFields.plan': '{{steps.tag.tag}}' } },
      {
        id: 'check',
        type: 'if_else',
        conditions: [{ field: 'contact.firstName', op: 'equals', value: 'Grace' }],
        then: 'hook',
        else: 'wrong',
      },
      {
        id: 'hook',
        type: 'webhook',
        url: `${sink.url}/first`,
        body: { name: '{{contact.first_name}}', plan: '{{contact.customFields.plan}}', tags: '{{json contact.tags}}' },
      },
      { id: 'untag', type: 'remove_tag', tag: 'vip-ada' },
      { id: 'all', type: 'webhook', url: `${sink.url}/all`, body: { contact: '{{json contact}}' } },
      { id: 'done', type: 'end' },
      { id: 'wrong', type: 'end' },
    ]);
    await setName(runId, 'Ada');
    const { resources, loads, seen } = watched();
    await runJob(resources, runId, 'tag');

    expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status])).toEqual([
      ['tag', 'completed'],
      ['who', 'completed'],
      ['check', 'completed'],
      ['hook', 'completed'],
      ['untag', 'completed'],
      ['all', 'completed'],
      ['done', 'completed'],
    ]);
    const body = (url: string) => JSON.parse(sink.requests.find((request) => request.url === url)!.body);
    expect(body('/first')).toEqual({ name: 'Grace', plan: 'vip-ada', tags: '["vip-ada"]' });
    expect(JSON.parse(body('/all').contact)).toMatchObject({ firstName: 'Grace', tags: [] });
    expect(loads).toEqual([runId]);
    // `done` (an end) was recorded with the finish of `all`: nothing executed it, nothing read a context for it.
    expect(seen.map((step) => step.stepId)).toEqual(['tag', 'who', 'check', 'hook', 'untag', 'all']);
    for (const step of seen)
      expect({ step: step.stepId, context: step.carried }).toEqual({ step: step.stepId, context: step.fresh });
  });

  it('shows outputs of earlier steps to later ones without loading the context again', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'outputs', [
      { id: 'ask', type: 'webhook', url: `${sink.url}/ask` },
      {
        id: 'tell',
        type: 'webhook',
        url: `${sink.url}/tell?n={{steps.ask.body.n}}`,
        body: { asked: '{{steps.ask.body.echoed}}', steps: '{{json steps}}' },
      },
      { id: 'done', type: 'end' },
    ]);
    const { resources, loads, seen } = watched();
    await runJob(resources, runId, 'ask');

    const tell = sink.requests.find((request) => request.url.startsWith('/tell'))!;
    expect(tell.url).toBe('/tell?n=7');
    const body = JSON.parse(tell.body);
    expect(body.asked).toBe('/ask');
    expect(JSON.parse(body.steps)).toEqual({ ask: { status: 200, body: { echoed: '/ask', n: 7 } } });
    expect(loads).toEqual([runId]);
    for (const step of seen) expect(step.carried).toBe(step.fresh);
  });

  it('shows a minted link as a fresh load does: the URL rebuilt from the stored output, saved on the contact', async () => {
    const calendar = await env.container.db.transaction((tx) =>
      createCalendar(tx, accountId, {
        name: 'Chain call',
        slug: 'chain-call',
        timezone: 'UTC',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: 'owner@example.com',
      }),
    );
    const { runId } = await enrolByHand(env.container, accountId, 'minted', [
      { id: 'mint', type: 'generate_one_time_link', calendar: calendar.slug, saveTo: 'bookingUrl' },
      {
        id: 'hook',
        type: 'webhook',
        url: `${sink.url}/minted`,
        body: { url: '{{steps.mint.url}}', saved: '{{contact.customFields.bookingUrl}}' },
      },
      { id: 'done', type: 'end' },
    ]);
    const { resources, loads, seen } = watched();
    await runJob(resources, runId, 'mint');

    const body = JSON.parse(sink.requests.find((request) => request.url === '/minted')!.body);
    expect(body.url).toMatch(/^http.*\/book\//);
    expect(body.saved).toBe(body.url);
    expect(loads).toEqual([runId]);
    for (const step of seen) expect(step.carried).toBe(step.fresh);
  });

  it('reads the contact again after a step that may change it but did not report it', async () => {
    const base = engine.resources;
    const silent: StepExecutor = {
      ...(base.executors.update_contact as StepExecutor),
      // Writes the contact itself, reporting nothing (not with the step's record, which answers the row).
      execute: (ctx) =>
        base.executors.update_contact.execute({
          ...ctx,
          contactChanged: undefined,
          recordsContactWrites: undefined,
        } as never),
    };
    const { runId } = await enrolByHand(env.container, accountId, 'unreported', [
      { id: 'who', type: 'update_contact', set: { firstName: 'Hedy' } },
      { id: 'hook', type: 'webhook', url: `${sink.url}/unreported`, body: { name: '{{contact.firstName}}' } },
      { id: 'done', type: 'end' },
    ]);
    const { resources, loads, seen } = watched({
      ...base,
      executors: { ...base.executors, update_contact: silent } as StepExecutors,
    });
    await runJob(resources, runId, 'who');

    const hook = sink.requests.find((request) => request.url === '/unreported')!;
    expect(JSON.parse(hook.body)).toEqual({ name: 'Hedy' });
    expect(loads).toEqual([runId, runId]);
    for (const step of seen) expect(step.carried).toBe(step.fresh);
  });

  it('logs one line at info per job, naming its run, its number of steps and how it stopped', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = createLogger({ level: 'info', pretty: false, destination });
    const { runId } = await enrolByHand(env.container, accountId, 'one-line', [
      { id: 'tag', type: 'add_tag', tag: 'logged' },
      { id: 'hook', type: 'webhook', url: `${sink.url}/logged`, body: { secret: 'not in logs' } },
      { id: 'done', type: 'end' },
    ]);
    await runJob(engine.resources, runId, 'tag', { ...env.container, logger });

    // Actions may log what they did (a webhook's status); the engine itself says one thing per job.
    const engineLines = lines.filter((line) => line.level === 30 && !('stepId' in line));
    expect(engineLines).toEqual([
      expect.objectContaining({ runId, steps: 3, outcome: 'completed', msg: 'run steps executed' }),
    ]);
    expect(lines.filter((line) => line.msg === 'step finished')).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('not in logs');
  });
});
