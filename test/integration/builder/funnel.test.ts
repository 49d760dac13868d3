import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { bookingApi, bookPath } from '../booking/booking-helpers';

describe("a workflow's funnel", () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  let workflowId: string;
  const api = () => request(createApp(env.container));
  const auth = () => ({ Authorization: `Bearer ${apiKey}` });
  const funnel = async (query = '') =>
    (await api().get(`/api/v1/workflows/${workflowId}/funnel${query}`).set(auth()).expect(200)).body;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    await bookingApi(createApp(env.container), apiKey).createCalendar({ slug: 'funnel-cal', name: 'Funnel call' });
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'funnel',
      name: 'Funnel',
      trigger: { type: 'contact.tag_added', tag: 'funnel' },
      steps: [
        { id: 'mint', name: 'Mint the link', type: 'generate_one_time_link', calendar: 'funnel-cal', saveTo: 'url' },
        { id: 'booking', type: 'wait', duration: '1h', event: 'appointment.booked', calendar: 'funnel-cal' },
        { id: 'done', type: 'end' },
      ],
    });
    workflowId = workflow.id;
    workers = startWorkers(env.container);

    // Three contacts: one only receives the link, one opens the page, one opens it and books.
    const urls: string[] = [];
    for (const name of ['cold', 'looker', 'booker']) {
      const contact = await addContact(env.container, accountId, { email: `${name}@example.com`, tags: ['funnel'] });
      urls.push(
        await waitFor(async () => {
          const rows: { url: string | null }[] = await env.container.db.query(
            `SELECT custom_fields->>'url' AS url FROM contacts WHERE id = $1`,
            [contact.id],
          );
          return rows[0]?.url;
        }),
      );
    }
    await api().get(bookPath(urls[1]!)).expect(200);
    const page = await api().get(bookPath(urls[2]!)).set('Accept', 'application/json').expect(200);
    await api()
      .post(bookPath(urls[2]!))
      .set('Accept', 'application/json')
      .send({ start: page.body.slots[0].start })
      .expect(201);
    await waitFor(async () => {
      const rows: unknown[] = await env.container.db.query(
        `SELECT 1 FROM runs WHERE workflow_id = $1 AND status = 'completed'`,
        [workflowId],
      );
      return rows.length === 1 || null;
    });
    // A test run is left out of the funnel.
    const tested = await api()
      .post(`/api/v1/workflows/${workflowId}/test-runs`)
      .set(auth())
      .send({ email: 'cold@example.com' })
      .expect(202);
    await waitFor(async () => {
      const run = await api().get(`/api/v1/runs/${tested.body.runId}`).set(auth());
      return run.status === 200 && run.body.status === 'waiting';
    });
  }, 60_000);
  afterAll(async () => {
    await workers.close();
    await env.cleanup();
  });

  it('counts the runs that reached each step, in the order of the current version, and how they stand', async () => {
    const body = await funnel();
    expect(body.steps).toEqual([
      { stepId: 'mint', name: 'Mint the link', reached: 3, completed: 3, failed: 0, waiting: 0, skipped: 0 },
      { stepId: 'booking', name: 'booking', reached: 3, completed: 1, failed: 0, waiting: 2, skipped: 0 },
      { stepId: 'done', name: 'done', reached: 1, completed: 1, failed: 0, waiting: 0, skipped: 0 },
    ]);
  });

  it('counts the links the runs minted, the pages opened and the bookings', async () => {
    expect((await funnel()).links).toEqual({ minted: 3, opened: 2, booked: 1 });
  });

  it('defaults to the last 30 days and counts only runs started in the period asked for', async () => {
    const body = await funnel();
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(30 * 24 * 3600 * 1000);
    const old = await funnel('?from=2020-01-01&to=2020-01-31');
    expect(old).toMatchObject({ from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' });
    expect(old.steps.map((step: { reached: number }) => step.reached)).toEqual([0, 0, 0]);
    expect(old.links).toEqual({ minted: 0, opened: 0, booked: 0 });
  });

  it('refuses a period that ends before it starts, or dates it cannot read', async () => {
    for (const query of ['?from=2025-02-01&to=2025-01-01', '?from=yesterday']) {
      const response = await api().get(`/api/v1/workflows/${workflowId}/funnel${query}`).set(auth()).expect(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
  });

  it("answers 404 for another account's workflow", async () => {
    const other = await createTestAccount(env.container);
    await api()
      .get(`/api/v1/workflows/${workflowId}/funnel`)
      .set('Authorization', `Bearer ${other.apiKey}`)
      .expect(404);
  });
});
