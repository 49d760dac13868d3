import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createApp } from '../../../src/roles/http-app';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { runCli } from '../../helpers/run-cli';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

describe('retrying a failed run', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let sink: CaptureServer;
  let accountId: string;
  let auth: { Authorization: string };
  /** The receiver answers 404 until it is "fixed". */
  let fixed = false;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    const { apiKey } = await createTestAccount(env.container);
    auth = { Authorization: `Bearer ${apiKey}` };
    sink = await startCaptureServer(() =>
      fixed ? { status: 200, body: { ok: true } } : { status: 404, body: { error: 'no such hook' } },
    );
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });
  beforeEach(() => {
    fixed = false;
  });

  async function failedRun(owner: string, slug: string): Promise<{ runId: string; workflowId: string }> {
    const workflow = await addWorkflow(env.container, owner, {
      id: slug,
      name: slug,
      trigger: { type: 'contact.tag_added', tag: slug },
      steps: [
        { id: 'before', type: 'add_tag', tag: 'seen' },
        { id: 'hook', type: 'webhook', url: `${sink.url}/${slug}`, body: { n: 1 } },
        { id: 'after', type: 'add_tag', tag: 'hooked' },
      ],
    });
    await addContact(env.container, owner, { email: `${slug}@example.com`, tags: [slug] });
    const [run] = await waitFor(
      async () => {
        const runs = await runsOf(env.container, workflow.id);
        return runs[0]?.status === 'failed' ? runs : null;
      },
      { what: 'the run to fail' },
    );
    return { runId: run!.id, workflowId: workflow.id };
  }

  it('with the CLI: the failed step runs again and the run completes; a completed run is refused (exit 1)', async () => {
    const { runId, workflowId } = await failedRun(accountId, 'cli-retry');
    expect(sink.requests.filter((r) => r.url === '/cli-retry')).toHaveLength(1);
    fixed = true;

    const result = await runCli(['runs:retry', runId], env.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`run ${runId} retried from step 'hook'`);
    await waitFor(async () => (await runsOf(env.container, workflowId))[0]?.status === 'completed', {
      what: 'the retried run to complete',
    });
    const steps = await stepsOf(env.container, runId);
    expect(steps.map((s) => [s.step_id, s.status, s.attempts])).toEqual([
      ['before', 'completed', 1],
      ['hook', 'completed', 2],
      ['after', 'completed', 1],
    ]);
    const hooks = sink.requests.filter((r) => r.url === '/cli-retry');
    expect(hooks).toHaveLength(2);
    expect(hooks[1]!.headers['idempotency-key']).toBe(`${runId}:hook`);
    const [run] = await env.container.db.query('SELECT error, finished_at FROM runs WHERE id = $1', [runId]);
    expect(run.error).toBeNull();
    expect(run.finished_at).not.toBeNull();

    const again = await runCli(['runs:retry', runId], env.env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('The run is completed; only a failed run can be retried');
    const unknown = await runCli(['runs:retry', '00000000-0000-4000-8000-000000000000'], env.env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Run not found');
  });

  it('with the API: 202 and the run running again, 409 unless failed, 404 for another account', async () => {
    const { accountId: owner, apiKey } = await createTestAccount(env.container);
    const ownerAuth = { Authorization: `Bearer ${apiKey}` };
    const { runId } = await failedRun(owner, 'api-retry');
    const app = createApp(env.container);
    await request(app).post(`/api/v1/runs/${runId}/retry`).set(auth).expect(404);

    // Still broken: the retry fails again, and can be retried again (a new job each time).
    const first = await request(app).post(`/api/v1/runs/${runId}/retry`).set(ownerAuth).expect(202);
    expect(first.body).toMatchObject({ id: runId, status: 'running', error: null, finishedAt: null });
    await waitFor(
      async () => (await request(app).get(`/api/v1/runs/${runId}`).set(ownerAuth)).body.status === 'failed',
      { what: 'the second failure' },
    );
    fixed = true;
    await request(app).post(`/api/v1/runs/${runId}/retry`).set(ownerAuth).expect(202);
    const done = await waitFor(
      async () => {
        const { body } = await request(app).get(`/api/v1/runs/${runId}`).set(ownerAuth);
        return body.status === 'completed' ? body : null;
      },
      { what: 'the run to complete' },
    );
    expect(done.steps.find((s: { id: string }) => s.id === 'hook')).toMatchObject({
      status: 'completed',
      attempts: 3,
      error: null,
    });
    expect(sink.requests.filter((r) => r.url === '/api-retry')).toHaveLength(3);

    const refused = await request(app).post(`/api/v1/runs/${runId}/retry`).set(ownerAuth).expect(409);
    expect(refused.body.error.code).toBe('conflict');
  });
});
