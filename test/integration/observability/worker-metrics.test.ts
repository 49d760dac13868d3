import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { freePort } from '../../helpers/free-port';
import { startLinkflowProcess, type LinkflowProcess } from '../../helpers/linkflow-process';
import { parseMetrics, sampleValue } from '../../helpers/prometheus-text';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

describe('metrics of a worker-only process', () => {
  let env: TestEnv;
  let worker: LinkflowProcess | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await worker?.stop();
    await env.cleanup();
  });

  it('are served on METRICS_PORT: its own step durations, not the shared counts', async () => {
    const port = await freePort();
    worker = await startLinkflowProcess({ role: 'worker', env: { ...env.env, METRICS_PORT: String(port) } });
    const { accountId } = await createTestAccount(env.container);
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'worked',
      name: 'Worked',
      trigger: { type: 'contact.tag_added', tag: 'work' },
      steps: [{ id: 'tag', type: 'add_tag', tag: 'done' }],
    });
    await addContact(env.container, accountId, { email: 'worker@example.com', tags: ['work'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', { what: 'the run' });

    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await response.text());
    expect(sampleValue(samples, 'linkflow_step_duration_seconds_count', { type: 'add_tag', outcome: 'completed' })).toBe(1);
    expect(samples.some((sample) => sample.name === 'linkflow_runs_total')).toBe(false);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expect(await worker.stop()).toBe(0);
  });
});
