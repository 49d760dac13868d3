import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';

describe('running workflows', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  let sink: CaptureServer;
  const api = () => request(createApp(env.container));

  beforeAll(async () => {
    env = await createTestEnv({ WORKER_CONCURRENCY: '20' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    sink = await startCaptureServer((req) => {
      if (req.url === '/flaky' && sink.requests.filter((r) => r.url === '/flaky').length <= 2) return { status: 503 };
      if (req.url === '/missing') return { status: 404, body: { error: 'nope' } };
      if (req.url === '/down') return { status: 503 };
      return { status: 200, body: { received: true } };
    });
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });

  it('runs a tag-triggered workflow to completion and shows every step', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'welcome',
      name: 'Welcome',
      trigger: { type: 'contact.tag_added', tag: 'welcome' },
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'welcomed' },
        {
          id: 'hook',
          type: 'webhook',
          url: `${sink.url}/hook`,
          body: { email: '{{contact.email}}', name: '{{contact.first_name}}' },
        },
        { id: 'remember', type: 'update_contact', set: { 'customFields.hookStatus': '{{steps.hook.status}}' } },
        { id: 'done', type: 'end' },
      ],
    });
    const contact = await addContact(env.container, accountId, {
      email: 'ann@example.com',
      firstName: 'Ann',
      tags: ['Welcome'],
    });
    const [run] = await waitFor(async () => {
      const runs = await runsOf(env.container, workflow.id);
      return runs[0]?.status === 'completed' ? runs : null;
    });
    const response = await api().get(`/api/v1/runs/${run!.id}`).set('Authorization', `Bearer ${apiKey}`).expect(200);
    expect(response.body).toMatchObject({
      id: run!.id,
      workflowId: workflow.id,
      workflowVersion: 1,
      contactId: contact.id,
      status: 'completed',
    });
    expect(response.body.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['tag', 'completed'],
      ['hook', 'completed'],
      ['remember', 'completed'],
      ['done', 'completed'],
    ]);
    expect(response.body.steps[1].output).toEqual({ status: 200, body: { received: true } });
    const hook = sink.requests.find((r) => r.url === '/hook')!;
    expect(JSON.parse(hook.body)).toEqual({ email: 'ann@example.com', name: 'Ann' });
    expect(hook.headers['idempotency-key']).toBe(`${run!.id}:hook`);
    const stored: { tags: string[]; custom_fields: Record<string, unknown> }[] = await env.container.db.query(
      'SELECT tags, custom_fields FROM contacts WHERE id = $1',
      [contact.id],
    );
    expect(stored[0]!.tags).toEqual(expect.arrayContaining(['welcome', 'welcomed']));
    expect(stored[0]!.custom_fields).toEqual({ hookStatus: '200' });
  });

  it('enrols 200 contacts created at once, each exactly once, and honours allowReentry', async () => {
    const once = await addWorkflow(env.container, accountId, {
      id: 'once',
      name: 'Once',
      trigger: { type: 'contact.tag_added', tag: 'bulk' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'bulk-seen' }],
    });
    const again = await addWorkflow(env.container, accountId, {
      id: 'again',
      name: 'Again',
      allowReentry: true,
      trigger: { type: 'contact.tag_added', tag: 'bulk' },
      steps: [{ id: 'noop', type: 'end' }],
    });
    const contacts = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        addContact(env.container, accountId, { email: `bulk${i}@example.com`, tags: ['bulk'] }),
      ),
    );
    await waitFor(
      async () => (await runsOf(env.container, once.id)).filter((r) => r.status === 'completed').length === 200,
      { timeoutMs: 60_000 },
    );
    await waitFor(
      async () => (await runsOf(env.container, again.id)).filter((r) => r.status === 'completed').length === 200,
      { timeoutMs: 60_000 },
    );

    // Take the tag off and put it back on ten contacts: only the re-entry workflow runs again.
    for (const contact of contacts.slice(0, 10)) {
      await api()
        .delete(`/api/v1/contacts/${contact.id}/tags/bulk`)
        .set('Authorization', `Bearer ${apiKey}`)
        .expect(200);
      await api()
        .post(`/api/v1/contacts/${contact.id}/tags`)
        .set('Authorization', `Bearer ${apiKey}`)
        .send({ tags: ['bulk'] })
        .expect(200);
    }
    await waitFor(
      async () => (await runsOf(env.container, again.id)).filter((r) => r.status === 'completed').length === 210,
      { timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const onceRuns = await runsOf(env.container, once.id);
    expect(onceRuns).toHaveLength(200);
    expect(new Set(onceRuns.map((r) => r.contact_id)).size).toBe(200);
  });

  it('retries a failing webhook by the step policy and fails the run on a 4xx with the error shown', async () => {
    const flaky = await addWorkflow(env.container, accountId, {
      id: 'flaky',
      name: 'Flaky',
      trigger: { type: 'event', event: 'flaky.go' },
      // The webhook follows another step, so it first runs inline in that step's job: its retries
      // must still follow its own policy.
      steps: [
        { id: 'first', type: 'add_tag', tag: 'flaky-started' },
        { id: 'call', type: 'webhook', url: `${sink.url}/flaky`, retry: { attempts: 4, backoff: '100ms' } },
      ],
    });
    const down = await addWorkflow(env.container, accountId, {
      id: 'down',
      name: 'Down',
      trigger: { type: 'event', event: 'flaky.go' },
      steps: [
        { id: 'first', type: 'add_tag', tag: 'down-started' },
        { id: 'call', type: 'webhook', url: `${sink.url}/down`, retry: { attempts: 2, backoff: '100ms' } },
      ],
    });
    const broken = await addWorkflow(env.container, accountId, {
      id: 'broken',
      name: 'Broken',
      trigger: { type: 'event', event: 'flaky.go' },
      steps: [
        { id: 'call', type: 'webhook', url: `${sink.url}/missing`, retry: { attempts: 4, backoff: '100ms' } },
        { id: 'never', type: 'end' },
      ],
    });
    const contact = await addContact(env.container, accountId, { email: 'flaky@example.com' });
    await api()
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ type: 'flaky.go', contactId: contact.id })
      .expect(202);

    const [flakyRun] = await waitFor(async () => {
      const runs = await runsOf(env.container, flaky.id);
      return runs[0]?.status === 'completed' ? runs : null;
    });
    const flakySteps = await stepsOf(env.container, flakyRun!.id);
    expect(flakySteps[1]).toMatchObject({ step_id: 'call', status: 'completed', attempts: 3 });

    const [downRun] = await waitFor(async () => {
      const runs = await runsOf(env.container, down.id);
      return runs[0]?.status === 'failed' ? runs : null;
    });
    expect(downRun!.error).toMatch(/503/);
    expect((await stepsOf(env.container, downRun!.id))[1]).toMatchObject({
      step_id: 'call',
      status: 'failed',
      attempts: 2,
    });
    expect(sink.requests.filter((r) => r.url === '/down')).toHaveLength(2);

    const [brokenRun] = await waitFor(async () => {
      const runs = await runsOf(env.container, broken.id);
      return runs[0]?.status === 'failed' ? runs : null;
    });
    expect(brokenRun!.error).toMatch(/404/);
    const brokenSteps = await stepsOf(env.container, brokenRun!.id);
    expect(brokenSteps).toHaveLength(1);
    expect(brokenSteps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(sink.requests.filter((r) => r.url === '/missing')).toHaveLength(1);
  });

  it('resumes a waiting run on its event, to onEvent, and otherwise on timeout, to onTimeout', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'waiter',
      name: 'Waiter',
      trigger: { type: 'contact.tag_added', tag: 'waiter' },
      steps: [
        { id: 'wait', type: 'wait', duration: '1s', event: 'paid', onEvent: 'thanks', onTimeout: 'nudge' },
        { id: 'nudge', type: 'add_tag', tag: 'nudged', next: 'finish' },
        { id: 'thanks', type: 'add_tag', tag: 'thanked' },
        { id: 'finish', type: 'end' },
      ],
    });
    const payer = await addContact(env.container, accountId, { email: 'payer@example.com', tags: ['waiter'] });
    const idle = await addContact(env.container, accountId, { email: 'idle@example.com', tags: ['waiter'] });
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).filter((r) => r.status === 'waiting').length === 2,
    );
    await api()
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ type: 'paid', contactId: payer.id })
      .expect(202);
    const runs = await waitFor(async () => {
      const all = await runsOf(env.container, workflow.id);
      return all.every((r) => r.status === 'completed') ? all : null;
    });
    const byContact = new Map(runs.map((r) => [r.contact_id, r.id]));
    const payerSteps = (await stepsOf(env.container, byContact.get(payer.id)!)).map((s) => s.step_id);
    const idleSteps = (await stepsOf(env.container, byContact.get(idle.id)!)).map((s) => s.step_id);
    expect(payerSteps).toEqual(['wait', 'thanks', 'finish']);
    expect(idleSteps).toEqual(['wait', 'nudge', 'finish']);
  });

  it('enrols a campaign by tag in batches, once per contact, and a single contact by hand', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'campaign',
      name: 'Campaign',
      trigger: { type: 'manual' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'campaigned' }],
    });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        addContact(env.container, accountId, { email: `camp${i}@example.com`, tags: ['spring'] }),
      ),
    );
    const first = await api()
      .post(`/api/v1/workflows/${workflow.id}/runs`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ tag: 'spring' })
      .expect(202);
    expect(first.body).toEqual({ enrolled: 30 });
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).filter((r) => r.status === 'completed').length === 30,
    );
    const second = await api()
      .post(`/api/v1/workflows/campaign/runs`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ tag: 'spring' })
      .expect(202);
    expect(second.body).toEqual({ enrolled: 0 });

    const solo = await addContact(env.container, accountId, { email: 'solo@example.com' });
    const manual = await api()
      .post(`/api/v1/workflows/${workflow.id}/runs`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ contactId: solo.id })
      .expect(202);
    await waitFor(async () => {
      const res = await api().get(`/api/v1/runs/${manual.body.runId}`).set('Authorization', `Bearer ${apiKey}`);
      return res.status === 200 && res.body.status === 'completed';
    });
    await api()
      .post(`/api/v1/workflows/${workflow.id}/runs`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ contactId: solo.id })
      .expect(409);
    const bad = await api()
      .post(`/api/v1/workflows/${workflow.id}/runs`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ tag: 'x', contactId: solo.id })
      .expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('cancels a waiting run, which then never moves again', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'cancel-me',
      name: 'Cancel me',
      trigger: { type: 'contact.tag_added', tag: 'cancel-me' },
      steps: [
        { id: 'wait', type: 'wait', duration: '1s' },
        { id: 'after', type: 'add_tag', tag: 'should-not-happen' },
      ],
    });
    await addContact(env.container, accountId, { email: 'cancel@example.com', tags: ['cancel-me'] });
    const [run] = await waitFor(async () => {
      const runs = await runsOf(env.container, workflow.id);
      return runs[0]?.status === 'waiting' ? runs : null;
    });
    const cancelled = await api()
      .post(`/api/v1/runs/${run!.id}/cancel`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const steps = await stepsOf(env.container, run!.id);
    expect(steps.map((s) => [s.step_id, s.status])).toEqual([['wait', 'cancelled']]);
    await api().post(`/api/v1/runs/${run!.id}/cancel`).set('Authorization', `Bearer ${apiKey}`).expect(409);
    const list = await api()
      .get(`/api/v1/runs?workflowId=${workflow.id}&status=cancelled`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([run!.id]);
  });

  it('pages through runs with cursors, each run once, and rejects a forged cursor', async () => {
    const all: { id: string }[] = await env.container.db.query('SELECT id FROM runs WHERE account_id = $1', [
      accountId,
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await api()
        .get('/api/v1/runs')
        .query({ limit: 37, ...(cursor ? { cursor } : {}) })
        .set('Authorization', `Bearer ${apiKey}`)
        .expect(200);
      seen.push(...page.body.items.map((run: { id: string }) => run.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen)).toEqual(new Set(all.map((run) => run.id)));
    const forged = await api()
      .get('/api/v1/runs?cursor=bm90LWEtY3Vyc29y')
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(400);
    expect(forged.body.error.issues[0].path).toBe('cursor');
  });

  it('answers 404 for runs of another account', async () => {
    const other = await createTestAccount(env.container);
    const [anyRun] = await env.container.db.query('SELECT id FROM runs LIMIT 1');
    await api().get(`/api/v1/runs/${anyRun.id}`).set('Authorization', `Bearer ${other.apiKey}`).expect(404);
    await api().post(`/api/v1/runs/${anyRun.id}/cancel`).set('Authorization', `Bearer ${other.apiKey}`).expect(404);
    const list = await api().get('/api/v1/runs').set('Authorization', `Bearer ${other.apiKey}`).expect(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
  });
});
