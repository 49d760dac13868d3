import { createLogger } from '../../../src/lib/logger';
import { startMetricsServer } from '../../../src/observability/metrics-server';
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

  it('are served on METRICS_PORT, behind METRICS_TOKEN: its own step durations, not the shared counts', async () => {
    const port = await freePort();
    const token = 'worker-metrics-token-0123456789';
    worker = await startLinkflowProcess({
      role: 'worker',
      env: { ...env.env, METRICS_PORT: String(port), METRICS_TOKEN: token },
    });
    const { accountId } = await createTestAccount(env.container);
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'worked',
      name: 'Worked',
      trigger: { type: 'contact.tag_added', tag: 'work' },
      steps: [{ id: 'tag', type: 'add_tag', tag: 'done' }],
    });
    await addContact(env.container, accountId, { email: 'worker@example.com', tags: ['work'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', {
      what: 'the run',
    });

    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: 'Bearer not-the-token-at-all' } }))
        .status,
    ).toBe(401);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await response.text());
    expect(
      sampleValue(samples, 'linkflow_step_duration_seconds_count', { type: 'add_tag', outcome: 'completed' }),
    ).toBe(1);
    expect(samples.some((sample) => sample.name === 'linkflow_runs_total')).toBe(false);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expect(await worker.stop()).toBe(0);
  });

  it('are open on METRICS_PORT when no METRICS_TOKEN is set', async () => {
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ level: 'silent', pretty: false }),
    });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      expect(
        parseMetrics(await response.text()).some((sample) => sample.name === 'linkflow_process_resident_memory_bytes'),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});
