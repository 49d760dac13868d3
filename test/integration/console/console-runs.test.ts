import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from './console-client';

describe('retrying a failed run from the console', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let hooks: CaptureServer;
  let accountId: string;
  let apiKey: string;
  let broken = true;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    hooks = await startCaptureServer(() =>
      broken ? { status: 404, body: { error: 'no such hook' } } : { status: 200, body: { ok: true } },
    );
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await hooks.close();
    await env.cleanup();
  });

  it("shows the failed step's error, and Retry runs the run on from that step", async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'hooked',
      name: 'Hooked',
      trigger: { type: 'contact.tag_added', tag: 'hook' },
      steps: [
        { id: 'mark', type: 'add_tag', tag: 'hooked' },
        { id: 'call', type: 'webhook', url: `${hooks.url}/hook`, retry: { attempts: 1 } },
        { id: 'done', type: 'end' },
      ],
    });
    await addContact(env.container, accountId, { email: 'hook@example.com', tags: ['hook'] });
    const [run] = await waitFor(async () => {
      const runs = await runsOf(env.container, workflow.id);
      return runs[0]?.status === 'failed' ? runs : null;
    });

    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const failed = await agent.get(`/app/runs/${run!.id}`).expect(200);
    expect(failed.text).toMatch(
      /<li class="card failed" data-step="call">[^]*?<p class="field-error step-error">[^<]*404/,
    );
    expect(failed.text).toContain('Retry from the failed step');

    broken = false;
    const retried = await agent.post(`/app/runs/${run!.id}/retry`).type('form').send({ _csrf: csrf }).expect(303);
    expect(retried.headers.location).toBe(`/app/runs/${run!.id}?notice=retried`);
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', {
      what: 'the retried run to complete',
    });
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['mark', 'completed', 1],
      ['call', 'completed', 2],
      ['done', 'completed', 1],
    ]);
    const page = await agent.get(`/app/runs/${run!.id}`).expect(200);
    expect(page.text).toContain('<span class="status status-completed">completed</span></h1>');
    expect(page.text).not.toContain('Retry from the failed step');
  });
});
