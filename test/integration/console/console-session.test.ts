import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { addContact } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { csrfOf, signedInAgent } from './console-client';

describe('signing in to the console', () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;
  let adminKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    ({ apiKey: adminKey } = await createTestAccount(env.container, { scope: 'admin' }));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('sends a visitor without a session to the sign-in page, remembering where they were going', async () => {
    const response = await request(createApp(env.container)).get('/app/contacts?q=ann').expect(303);
    expect(response.headers.location).toBe('/app/login?next=%2Fapp%2Fcontacts%3Fq%3Dann');
  });

  it('exchanges a good API key for an httpOnly, SameSite session cookie', async () => {
    const agent = request.agent(createApp(env.container));
    const form = await agent.get('/app/login').expect(200);
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    const response = await agent
      .post('/app/login')
      .type('form')
      .send({ apiKey, _csrf: csrfOf(form.text), next: '/app/calendars' })
      .expect(303);
    expect(response.headers.location).toBe('/app/calendars');
    const cookie = (response.headers['set-cookie'] as unknown as string[]).find((line) =>
      line.startsWith('lf_session='),
    )!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);
    await agent.get('/app/calendars').expect(200);
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const app = createApp({
      ...env.container,
      config: { ...env.container.config, PUBLIC_URL: 'https://console.example.com' },
    });
    const form = await request(app).get('/app/login').expect(200);
    const loginCookie = (form.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const response = await request(app)
      .post('/app/login')
      .set('Cookie', loginCookie)
      .type('form')
      .send({ apiKey, _csrf: csrfOf(form.text) })
      .expect(303);
    expect(
      (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('lf_session=')),
    ).toMatch(/; Secure$/);
  });

  it('refuses a wrong key with 401 and the form again', async () => {
    const agent = request.agent(createApp(env.container));
    const form = await agent.get('/app/login').expect(200);
    const response = await agent
      .post('/app/login')
      .type('form')
      .send({ apiKey: 'lf_nope', _csrf: csrfOf(form.text) })
      .expect(401);
    expect(response.text).toContain('That API key is not valid.');
    expect(response.headers['set-cookie']?.toString() ?? '').not.toContain('lf_session=');
  });

  it('refuses a sign-in form without its CSRF token', async () => {
    const agent = request.agent(createApp(env.container));
    await agent.get('/app/login').expect(200);
    await agent.post('/app/login').type('form').send({ apiKey }).expect(403);
  });

  it('refuses a console form posted without, or with a wrong, CSRF token (403)', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const contact = await addContact(env.container, accountId, { email: 'csrf@example.com' });
    await agent.post(`/app/contacts/${contact.id}/tags`).type('form').send({ tag: 'x' }).expect(403);
    await agent
      .post(`/app/contacts/${contact.id}/tags`)
      .type('form')
      .send({ tag: 'x', _csrf: `${csrf}x` })
      .expect(403);
    await agent.post(`/app/contacts/${contact.id}/tags`).send({ tag: 'x', _csrf: csrf }).expect(403); // JSON is no console form
    await agent.post(`/app/contacts/${contact.id}/tags`).type('form').send({ tag: 'x', _csrf: csrf }).expect(303);
  });

  it('signs out: the session is gone even for a kept copy of the cookie', async () => {
    const app = createApp(env.container);
    const form = await request(app).get('/app/login').expect(200);
    const loginCookie = (form.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const signedIn = await request(app)
      .post('/app/login')
      .set('Cookie', loginCookie)
      .type('form')
      .send({ apiKey, _csrf: csrfOf(form.text) })
      .expect(303);
    const session = (signedIn.headers['set-cookie'] as unknown as string[])
      .find((line) => line.startsWith('lf_session='))!
      .split(';')[0]!;
    const page = await request(app).get('/app/contacts').set('Cookie', session).expect(200);

    const response = await request(app)
      .post('/app/logout')
      .set('Cookie', session)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(response.headers.location).toBe('/app/login?signed-out=1');
    expect(
      (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('lf_session=')),
    ).toMatch(/Max-Age=0/);
    const kept = await request(app).get('/app/contacts').set('Cookie', session).expect(303);
    expect(kept.headers.location).toMatch(/^\/app\/login/);
  });

  it("answers 404 for another account's contact", async () => {
    const other = await createTestAccount(env.container);
    const theirs = await addContact(env.container, other.accountId, { email: 'theirs@example.com' });
    const { agent } = await signedInAgent(env.container, apiKey);
    const response = await agent.get(`/app/contacts/${theirs.id}`).expect(404);
    expect(response.text).not.toContain('theirs@example.com');
    await agent.get('/app/contacts/not-a-uuid').expect(404);
  });

  it('shows the queues dashboard to an admin session only', async () => {
    await request(createApp(env.container)).get('/admin/queues').expect(303);
    const { agent: member } = await signedInAgent(env.container, apiKey);
    await member.get('/admin/queues').expect(403);
    const { agent: admin } = await signedInAgent(env.container, adminKey);
    const page = await admin.get('/admin/queues').expect(200);
    expect(page.text).toContain('__UI_CONFIG__');
    const queues = await admin.get('/admin/queues/api/queues').expect(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual([
      'bookings',
      'campaign-runs',
      'campaigns',
      'events',
      'maintenance',
      'steps',
    ]);
  });
});
