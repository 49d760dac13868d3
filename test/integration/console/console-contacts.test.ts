import { addContact, addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { decodeHref, signedInAgent } from './console-client';

const rowsOf = (html: string): string[] =>
  [...html.matchAll(/<a href="\/app\/contacts\/([0-9a-f-]{36})">/g)].map((m) => m[1]!);

describe('contacts, messages and runs in the console', () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('pages through 120 contacts 50 at a time, and finds them by part of a name, an email or a tag', async () => {
    await env.container.db.query(
      `INSERT INTO contacts (account_id, email, first_name, last_name, tags, created_at)
       SELECT $1, 'bulk' || n || '@example.com', 'Bulk', 'Person' || n, CASE WHEN n % 10 = 0 THEN ARRAY['tenth'] ELSE ARRAY[]::text[] END,
              now() - n * interval '1 second'
       FROM generate_series(1, 120) AS n`,
      [accountId],
    );
    await addContact(env.container, accountId, { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    const { agent } = await signedInAgent(env.container, apiKey);
    const seen = new Set<string>();
    let path: string | null = '/app/contacts';
    let pages = 0;
    while (path) {
      const page: { text: string } = await agent.get(path).expect(200);
      for (const id of rowsOf(page.text)) seen.add(id);
      pages++;
      const next: string | undefined = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(page.text)?.[1];
      path = next ? decodeHref(next) : null;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(121);

    expect(rowsOf((await agent.get('/app/contacts?q=grace hop').expect(200)).text)).toHaveLength(1);
    expect(rowsOf((await agent.get('/app/contacts?q=GRACE').expect(200)).text)).toHaveLength(1);
    expect(rowsOf((await agent.get('/app/contacts?q=hopper').expect(200)).text)).toHaveLength(1);
    expect(rowsOf((await agent.get('/app/contacts?q=Bulk Person11').expect(200)).text)).toHaveLength(11); // 11, 110-119
    expect(rowsOf((await agent.get('/app/contacts?q=bulk7@').expect(200)).text)).toHaveLength(1);
    expect(rowsOf((await agent.get('/app/contacts?tag=Tenth').expect(200)).text)).toHaveLength(12);
    expect(rowsOf((await agent.get('/app/contacts?q=%25').expect(200)).text)).toHaveLength(0);
    await agent.get('/app/contacts?cursor=garbage').expect(400);
  });

  it('adds and removes tags from the contact page', async () => {
    const contact = await addContact(env.container, accountId, {
      email: 'tags@example.com',
      customFields: { bookingLink: 'https://example.com/book/abc' },
    });
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    await agent.post(`/app/contacts/${contact.id}/tags`).type('form').send({ _csrf: csrf, tag: ' VIP ' }).expect(303);
    let page = await agent.get(`/app/contacts/${contact.id}?notice=tag-added`).expect(200);
    expect(page.text).toContain('<span class="tag">vip<form');
    expect(page.text).toContain('<a href="https://example.com/book/abc" rel="noreferrer">');
    await agent
      .post(`/app/contacts/${contact.id}/tags/remove`)
      .type('form')
      .send({ _csrf: csrf, tag: 'vip' })
      .expect(303);
    page = await agent.get(`/app/contacts/${contact.id}`).expect(200);
    expect(page.text).toContain('No tags.');
    const bad = await agent
      .post(`/app/contacts/${contact.id}/tags`)
      .type('form')
      .send({ _csrf: csrf, tag: '' })
      .expect(400);
    expect(bad.text).toContain('<code>tags[0]</code>');
  });

  it("shows a contact's email in a sandboxed preview, and a run's timeline with cancel", async () => {
    const contact = await addContact(env.container, accountId, { email: 'mail@example.com' });
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'mailer',
      name: 'Mailer',
      trigger: { type: 'manual' },
      steps: [
        { id: 'pause', type: 'wait', duration: '1d' },
        { id: 'done', type: 'end' },
      ],
    });
    const [run] = (await env.container.db.query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger)
       VALUES ($1, $2, 1, $3, 'waiting', 'pause', '{"type":"manual","data":{}}') RETURNING id`,
      [accountId, workflow.id, contact.id],
    )) as { id: string }[];
    await env.container.db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, output) VALUES ($1, 'pause', 'wait', 0, 'waiting', 1, '{"until":"2030-01-01T00:00:00.000Z"}')`,
      [run!.id],
    );
    const [message] = (await env.container.db.query(
      `INSERT INTO messages (account_id, contact_id, run_id, step_id, channel, "to", subject, html, text, status)
       VALUES ($1, $2, $3, 'pause', 'email', 'mail@example.com', 'Your link', '<p>Book <a href="https://x.test/book/t">here</a><script>alert(1)</script></p>', 'Book here', 'sent') RETURNING id`,
      [accountId, contact.id, run!.id],
    )) as { id: string }[];

    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const page = await agent.get(`/app/contacts/${contact.id}`).expect(200);
    expect(page.text).toContain('Email: Your link');
    expect(page.text).toContain(`<iframe class="email-preview" sandbox src="/app/messages/${message!.id}/preview"`);
    const preview = await agent.get(`/app/messages/${message!.id}/preview`).expect(200);
    expect(preview.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(preview.text).toContain('https://x.test/book/t');

    const other = await createTestAccount(env.container);
    const { agent: stranger } = await signedInAgent(env.container, other.apiKey);
    await stranger.get(`/app/messages/${message!.id}/preview`).expect(404);
    await stranger.get(`/app/runs/${run!.id}`).expect(404);

    const timeline = await agent.get(`/app/runs/${run!.id}`).expect(200);
    expect(timeline.text).toContain('<li class="card waiting" data-step="pause">');
    expect(timeline.text).toContain('&quot;until&quot;: &quot;2030-01-01T00:00:00.000Z&quot;');
    expect(timeline.text).toContain('Cancel run');
    await agent.post(`/app/runs/${run!.id}/cancel`).type('form').send({ _csrf: csrf }).expect(303);
    const cancelled = await agent.get(`/app/runs/${run!.id}`).expect(200);
    expect(cancelled.text).toContain('<span class="status status-cancelled">cancelled</span>');
    expect(cancelled.text).not.toContain('Cancel run');
    await agent.post(`/app/runs/${run!.id}/cancel`).type('form').send({ _csrf: csrf }).expect(409);
    await agent.post(`/app/runs/${run!.id}/retry`).type('form').send({ _csrf: csrf }).expect(409);
  });
});
