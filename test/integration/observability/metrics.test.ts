import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { metricsRoutes } from '../../../src/http/routes/metrics';
import { processRegistry } from '../../../src/observability/metrics';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { runsOf } from '../../helpers/engine';
import { parseMetrics, sampleValue, type Sample } from '../../helpers/prometheus-text';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY } from '../booking/booking-helpers';

describe('/metrics', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let sink: CaptureServer;
  let auth: { Authorization: string };
  const app = () => createApp(env.container);

  async function scrape(): Promise<Sample[]> {
    const response = await request(app()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(response.text);
  }
  const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    sampleValue(samples, name, labels) ?? 0;

  beforeAll(async () => {
    env = await createTestEnv();
    const { apiKey } = await createTestAccount(env.container);
    auth = { Authorization: `Bearer ${apiKey}` };
    sink = await startCaptureServer(() => ({ status: 404 }));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });

  it('answers without an API key, in the Prometheus text format', async () => {
    const samples = await scrape();
    expect(samples.some((sample) => sample.name === 'linkflow_process_resident_memory_bytes')).toBe(true);
    for (const source of ['runs', 'queues', 'links', 'messages']) {
      expect(sampleValue(samples, 'linkflow_metrics_source_up', { source })).toBe(1);
    }
  });

  it('moves as a run proceeds: runs by workflow and status, step durations by action type, queues, messages', async () => {
    await request(app())
      .post('/api/v1/workflows')
      .set(auth)
      .send({
        id: 'metered',
        name: 'Metered',
        trigger: { type: 'contact.tag_added', tag: 'metered' },
        steps: [
          { id: 'tag', type: 'add_tag', tag: 'counted' },
          { id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello' },
          { id: 'done', type: 'end' },
        ],
      })
      .expect(201);
    const workflowId = (await env.container.db.query("SELECT id FROM workflows WHERE slug = 'metered'"))[0]
      .id as string;
    const before = await scrape();
    expect(sampleValue(before, 'linkflow_runs_total', { workflow: workflowId, status: 'started' })).toBe(0);
    expect(sampleValue(before, 'linkflow_runs_total', { workflow: workflowId, status: 'completed' })).toBe(0);

    const contact = await request(app())
      .post('/api/v1/contacts')
      .set(auth)
      .send({ email: 'metered@example.com', tags: ['metered'] })
      .expect(201);
    await waitFor(async () => (await runsOf(env.container, workflowId))[0]?.status === 'completed', {
      what: 'the metered run',
    });

    const after = await scrape();
    expect(value(after, 'linkflow_runs_total', { workflow: workflowId, status: 'started' })).toBe(1);
    expect(value(after, 'linkflow_runs_total', { workflow: workflowId, status: 'completed' })).toBe(1);
    expect(value(after, 'linkflow_runs_total', { workflow: workflowId, status: 'failed' })).toBe(0);
    const stepCount = { type: 'add_tag', outcome: 'completed' };
    expect(value(after, 'linkflow_step_duration_seconds_count', stepCount)).toBe(
      value(before, 'linkflow_step_duration_seconds_count', stepCount) + 1,
    );
    expect(
      value(after, 'linkflow_step_duration_seconds_count', { type: 'end', outcome: 'ended' }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(after, 'linkflow_messages_total', { channel: 'email', status: 'not_delivered' })).toBe(
      value(before, 'linkflow_messages_total', { channel: 'email', status: 'not_delivered' }) + 1,
    );
    // The run started inline in the job of the event that enrolled it (src/engine/inline-start.ts), its
    // steps one after the other in that job: at least that job completed.
    expect(value(after, 'linkflow_queue_jobs', { queue: 'events', state: 'completed' })).toBeGreaterThanOrEqual(
      value(before, 'linkflow_queue_jobs', { queue: 'events', state: 'completed' }) + 1,
    );
    expect(sampleValue(after, 'linkflow_queue_jobs', { queue: 'events', state: 'waiting' })).toBeDefined();
    expect(contact.body.id).toBeDefined();
  });

  it('counts failed runs and waiting runs by workflow id, and names no workflow by its slug', async () => {
    const doomed = await request(app())
      .post('/api/v1/workflows')
      .set(auth)
      .send({
        id: 'doomed',
        name: 'Doomed',
        trigger: { type: 'event', event: 'doom' },
        steps: [{ id: 'call', type: 'webhook', url: `${sink.url}/gone` }],
      })
      .expect(201);
    const patient = await request(app())
      .post('/api/v1/workflows')
      .set(auth)
      .send({
        id: 'patient',
        name: 'Patient',
        trigger: { type: 'event', event: 'doom' },
        steps: [{ id: 'wait', type: 'wait', duration: '1h' }],
      })
      .expect(201);
    const contact = await request(app())
      .post('/api/v1/contacts')
      .set(auth)
      .send({ email: 'doomed@example.com' })
      .expect(201);
    await request(app())
      .post('/api/v1/events')
      .set(auth)
      .send({ type: 'doom', contactId: contact.body.id })
      .expect(202);
    await waitFor(
      async () => {
        const samples = await scrape();
        return (
          value(samples, 'linkflow_runs_total', { workflow: doomed.body.id, status: 'failed' }) === 1 &&
          value(samples, 'linkflow_waiting_runs', { workflow: patient.body.id }) === 1
        );
      },
      { what: 'a failed and a waiting run in /metrics' },
    );
    const samples = await scrape();
    expect(value(samples, 'linkflow_step_duration_seconds_count', { type: 'webhook', outcome: 'failed' })).toBe(1);
    expect(value(samples, 'linkflow_runs_total', { workflow: patient.body.id, status: 'waiting' })).toBe(1);
    expect(value(samples, 'linkflow_waiting_runs_overdue')).toBe(0);
    // Anyone who reaches /metrics sees these labels: slugs of every account would tell them apart.
    const workflowLabels = samples.flatMap((sample) =>
      sample.labels.workflow === undefined ? [] : [sample.labels.workflow],
    );
    expect(new Set(workflowLabels)).toEqual(
      new Set(((await env.container.db.query('SELECT id FROM workflows')) as { id: string }[]).map((row) => row.id)),
    );
  });

  it('counts one-time links minted, and times HTTP requests by route pattern, never by path', async () => {
    const before = await scrape();
    const calendar = await request(app())
      .post('/api/v1/calendars')
      .set(auth)
      .send({ name: 'Metered call', timezone: 'UTC', availability: ALL_DAY })
      .expect(201);
    await request(app()).post(`/api/v1/calendars/${calendar.body.id}/one-time-links`).set(auth).send({}).expect(201);
    const missing = '00000000-0000-4000-8000-000000000000';
    await request(app()).get(`/api/v1/contacts/${missing}`).set(auth).expect(404);
    await request(app()).get('/no/such/page').expect(404);

    const after = await scrape();
    expect(value(after, 'linkflow_links_total', { status: 'minted' })).toBe(
      value(before, 'linkflow_links_total', { status: 'minted' }) + 1,
    );
    expect(value(after, 'linkflow_links_total', { status: 'active' })).toBe(
      value(before, 'linkflow_links_total', { status: 'active' }) + 1,
    );
    const count = (labels: Record<string, string>) =>
      value(after, 'linkflow_http_request_duration_seconds_count', labels);
    expect(count({ method: 'POST', route: '/api/v1/contacts', status: '201' })).toBeGreaterThanOrEqual(2);
    expect(count({ method: 'POST', route: '/api/v1/calendars/:id/one-time-links', status: '201' })).toBe(1);
    expect(count({ method: 'GET', route: '/api/v1/contacts/:id', status: '404' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    const routes = after
      .filter((sample) => sample.name === 'linkflow_http_request_duration_seconds_count')
      .map((sample) => sample.labels.route);
    expect(routes.join(' ')).not.toContain(missing);
    expect(routes.join(' ')).not.toContain(calendar.body.id);
  });

  it('requires METRICS_TOKEN as a bearer token when it is set, and only then', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const guarded = createApp({ ...env.container, config: { ...env.config, METRICS_TOKEN: token } });
    expect((await request(guarded).get('/metrics').expect(401)).body.error.code).toBe('unauthorized');
    await request(guarded).get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
    await request(guarded).get('/metrics').set('Authorization', token).expect(401);
    const answered = await request(guarded).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(sampleValue(parseMetrics(answered.text), 'linkflow_metrics_source_up', { source: 'runs' })).toBe(1);
    await request(app()).get('/metrics').expect(200);
  });

  it('counts in PostgreSQL and Redis at most once per window, however many scrapes arrive, concurrent or not', async () => {
    let clock = Date.now();
    const server = express()
      .use(metricsRoutes(env.container, { windowMs: 15_000, now: () => clock }))
      .listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const collections = async (): Promise<number> =>
      (await processRegistry.getSingleMetric('linkflow_metrics_state_collections_total')?.get())?.values[0]?.value ?? 0;
    const scraped = async (): Promise<number> => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      return value(parseMetrics(await response.text()), 'linkflow_metrics_state_collections_total');
    };
    try {
      const before = await collections();
      const concurrent = await Promise.all(Array.from({ length: 20 }, () => scraped()));
      const sequential: number[] = [];
      for (let i = 0; i < 20; i++) {
        clock += 700; // 14 s in all: still inside the window
        sequential.push(await scraped());
      }
      expect(new Set([...concurrent, ...sequential])).toEqual(new Set([before + 1]));
      expect(await collections()).toBe(before + 1);

      clock += 1_001; // past the window: the next scrape counts afresh, once
      expect(await Promise.all([scraped(), scraped()])).toEqual([before + 2, before + 2]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  // Last: it drops tables. Booking and messaging arrive with their own migrations; until then, no series.
  it('skips the links and messages of modules whose tables do not exist', async () => {
    await env.container.db.query('DROP TABLE messages CASCADE');
    await env.container.db.query('DROP TABLE appointments, one_time_links CASCADE');
    const samples = await scrape();
    expect(
      samples.some((sample) => sample.name === 'linkflow_links_total' || sample.name === 'linkflow_messages_total'),
    ).toBe(false);
    expect(sampleValue(samples, 'linkflow_metrics_source_up', { source: 'links' })).toBe(1);
    expect(sampleValue(samples, 'linkflow_metrics_source_up', { source: 'messages' })).toBe(1);
    const metered = (await env.container.db.query("SELECT id FROM workflows WHERE slug = 'metered'"))[0].id as string;
    expect(value(samples, 'linkflow_runs_total', { workflow: metered, status: 'completed' })).toBe(1);
  });
});
