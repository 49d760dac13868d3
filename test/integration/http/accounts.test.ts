import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

describe('API keys and accounts', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let admin: { accountId: string; apiKey: string };
  let member: { accountId: string; apiKey: string };
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    admin = await createTestAccount(env.container, { scope: 'admin' });
    member = await createTestAccount(env.container, { scope: 'account' });
  });
  afterAll(async () => env.cleanup());

  it('answers 401 unauthorized without a key, with an unknown key and with a malformed header', async () => {
    const none = await api.raw().get('/api/v1/contacts');
    const unknown = await api.as('lf_not-a-real-key').get('/api/v1/contacts');
    const malformed = await api.raw().get('/api/v1/contacts').set('Authorization', 'Basic abc');
    for (const res of [none, unknown, malformed]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('answers unknown API routes with 404 not_found once authenticated', async () => {
    const res = await api.as(member.apiKey).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('forbids a non-admin key to create accounts', async () => {
    const res = await api.as(member.apiKey).post('/api/v1/accounts').send({ name: 'Sneaky' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    const rows: unknown[] = await env.container.db.query("SELECT 1 FROM accounts WHERE name = 'Sneaky'");
    expect(rows).toHaveLength(0);
  });

  it('rejects an account with a bad time zone or no name at their paths', async () => {
    const res = await api.as(admin.apiKey).post('/api/v1/accounts').send({ name: '  ', timezone: 'Mars/Olympus' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'timezone']);
  });

  it("lets an admin create an account whose key works and sees none of the other accounts' contacts", async () => {
    const theirs = await api.as(member.apiKey).post('/api/v1/contacts').send({ email: 'mine@example.com' });
    expect(theirs.status).toBe(201);

    const created = await api
      .as(admin.apiKey)
      .post('/api/v1/accounts')
      .send({ name: 'Acme', timezone: 'Europe/Paris' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Acme',
      timezone: 'Europe/Paris',
      senderName: null,
      replyTo: null,
      consoleZone: 'account',
      apiKey: expect.stringMatching(/^lf_/),
    });
    const stored: { key_hash: string; scope: string }[] = await env.container.db.query(
      'SELECT key_hash, scope FROM api_keys WHERE account_id = $1',
      [created.body.id],
    );
    expect(stored).toEqual([{ key_hash: expect.not.stringContaining(created.body.apiKey), scope: 'account' }]);

    const acme = api.as(created.body.apiKey as string);
    const list = await acme.get('/api/v1/contacts');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    expect((await acme.get(`/api/v1/contacts/${theirs.body.id}`)).status).toBe(404);
    expect((await acme.patch(`/api/v1/contacts/${theirs.body.id}`).send({ firstName: 'X' })).status).toBe(404);
    expect((await acme.post(`/api/v1/contacts/${theirs.body.id}/tags`).send({ tags: ['x'] })).status).toBe(404);
    expect((await acme.delete(`/api/v1/contacts/${theirs.body.id}/tags/x`)).status).toBe(404);
    expect((await acme.post('/api/v1/events').send({ type: 'clicked', contactId: theirs.body.id })).status).toBe(404);
    // The same email is free in another account.
    expect((await acme.post('/api/v1/contacts').send({ email: 'MINE@example.com' })).status).toBe(201);
  });

  it('defaults a new account to UTC', async () => {
    const res = await api.as(admin.apiKey).post('/api/v1/accounts').send({ name: 'Plain' });
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe('UTC');
  });
});
