import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from '../console/console-client';

describe('calling /api/v1 with the console session', () => {
  let env: TestEnv;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it("reads the session's account without an Authorization header", async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    await request(createApp(env.container))
      .post('/api/v1/contacts')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ email: 'seen@example.com' })
      .expect(201);
    const list = await agent.get('/api/v1/contacts').expect(200);
    expect(list.body.items.map((contact: { email: string }) => contact.email)).toContain('seen@example.com');
  });

  it('puts the CSRF token in a meta tag of every console page', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const page = await agent.get('/app/workflows').expect(200);
    expect(page.text).toContain(`<meta name="csrf-token" content="${csrf}">`);
  });

  it('refuses an unsafe method without the CSRF header, or with another token, as 403 forbidden', async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const missing = await agent.post('/api/v1/contacts').send({ email: 'nocsrf@example.com' }).expect(403);
    expect(missing.body.error.code).toBe('forbidden');
    const wrong = await agent
      .post('/api/v1/contacts')
      .set('X-CSRF-Token', 'x'.repeat(43))
      .send({ email: 'nocsrf@example.com' })
      .expect(403);
    expect(wrong.body.error.code).toBe('forbidden');
    const rows = await env.container.db.query('SELECT 1 FROM contacts WHERE email = $1', ['nocsrf@example.com']);
    expect(rows).toHaveLength(0);
  });

  it('accepts a POST and a PATCH carrying the session CSRF token, and refuses one without', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const created = await agent
      .post('/api/v1/contacts')
      .set('X-CSRF-Token', csrf)
      .send({ email: 'withcsrf@example.com' })
      .expect(201);
    const patched = await agent
      .patch(`/api/v1/contacts/${created.body.id}`)
      .set('X-CSRF-Token', csrf)
      .send({ firstName: 'Ada' })
      .expect(200);
    expect(patched.body).toMatchObject({ firstName: 'Ada' });
    await agent.patch(`/api/v1/contacts/${created.body.id}`).send({ firstName: 'Eve' }).expect(403);
  });

  it('refuses the session of a revoked key with 401', async () => {
    const { apiKey: ownKey } = await createTestAccount(env.container);
    const bearer = request(createApp(env.container));
    const second = await bearer
      .post('/api/v1/keys')
      .set('Authorization', `Bearer ${ownKey}`)
      .send({ name: 'console' })
      .expect(201);
    const { agent } = await signedInAgent(env.container, second.body.key);
    await agent.get('/api/v1/contacts').expect(200);
    await bearer.delete(`/api/v1/keys/${second.body.id}`).set('Authorization', `Bearer ${ownKey}`).expect(204);
    const refused = await agent.get('/api/v1/contacts').expect(401);
    expect(refused.body.error.code).toBe('unauthorized');
  });

  it("keeps the key's scope: an account key's session may not create accounts, an admin key's may", async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const refused = await agent.post('/api/v1/accounts').set('X-CSRF-Token', csrf).send({ name: 'No' }).expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    const { apiKey: adminKey } = await createTestAccount(env.container, { scope: 'admin' });
    const admin = await signedInAgent(env.container, adminKey);
    await admin.agent.post('/api/v1/accounts').set('X-CSRF-Token', admin.csrf).send({ name: 'Yes' }).expect(201);
  });

  it('lets a Bearer key decide when both are sent: a wrong key is 401 even beside a live cookie', async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const refused = await agent.get('/api/v1/contacts').set('Authorization', 'Bearer lf_wrong').expect(401);
    expect(refused.body.error.code).toBe('unauthorized');
    await agent
      .post('/api/v1/contacts')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ email: 'k@example.com' })
      .expect(201);
  });

  it('answers 401 for an unknown session cookie', async () => {
    const response = await request(createApp(env.container))
      .get('/api/v1/contacts')
      .set('Cookie', 'lf_session=not-a-session')
      .expect(401);
    expect(response.body.error.code).toBe('unauthorized');
  });
});
