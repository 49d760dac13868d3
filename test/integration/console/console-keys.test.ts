import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { sha256Hex } from '../../../src/lib/secrets';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from './console-client';

/** The key a create form answered with: shown once, in the page. */
function shownKey(html: string): string {
  const match = /<code id="new-key">(lf_[A-Za-z0-9_-]{43})<\/code>/.exec(html);
  if (!match) throw new Error('no new key on the page');
  return match[1]!;
}

describe("the console's API keys page", () => {
  let env: TestEnv;
  const api = (key: string) => ({
    get: (path: string) => request(createApp(env.container)).get(path).set('Authorization', `Bearer ${key}`),
    delete: (path: string) => request(createApp(env.container)).delete(path).set('Authorization', `Bearer ${key}`),
  });

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('creates a key shown this once, then lists it by name and prefix but never the key', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const created = await agent
      .post('/app/keys')
      .type('form')
      .send({ name: 'Newsletter tool', _csrf: csrf })
      .expect(201);
    const key = shownKey(created.text);
    await api(key).get('/api/v1/contacts').expect(200);
    const rows: { account_id: string; scope: string }[] = await env.container.db.query(
      'SELECT account_id, scope FROM api_keys WHERE name = $1',
      ['Newsletter tool'],
    );
    expect(rows).toEqual([{ account_id: accountId, scope: 'account' }]);

    const page = await agent.get('/app/keys').expect(200);
    expect(page.text).toContain('Newsletter tool');
    expect(page.text).toContain(key.slice(0, 11));
    expect(page.text).not.toContain(key);
    expect(page.text).toContain('href="/app/keys" aria-current="page"');
  });

  it('refuses an admin key to a session of an account key (403), and a key without a name (400)', async () => {
    const { apiKey } = await createTestAccount(env.container);
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    expect((await agent.get('/app/keys').expect(200)).text).not.toContain('name="admin"');
    await agent.post('/app/keys').type('form').send({ name: 'Escalate', admin: 'on', _csrf: csrf }).expect(403);
    await agent.post('/app/keys').type('form').send({ name: ' ', _csrf: csrf }).expect(400);
    const rows: unknown[] = await env.container.db.query("SELECT 1 FROM api_keys WHERE name = 'Escalate'");
    expect(rows).toHaveLength(0);
  });

  it('revokes a key with the form (and its CSRF token only): the key answers 401 at once', async () => {
    const { apiKey } = await createTestAccount(env.container);
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const key = shownKey(
      (await agent.post('/app/keys').type('form').send({ name: 'Old script', _csrf: csrf }).expect(201)).text,
    );
    const id = (
      (await env.container.db.query("SELECT id FROM api_keys WHERE name = 'Old script'")) as { id: string }[]
    )[0]!.id;
    await agent.post(`/app/keys/${id}/revoke`).type('form').send({}).expect(403);
    await api(key).get('/api/v1/contacts').expect(200);
    const revoked = await agent.post(`/app/keys/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
    expect(revoked.headers.location).toBe('/app/keys?notice=key-revoked');
    await api(key).get('/api/v1/contacts').expect(401);
    expect((await agent.get('/app/keys').expect(200)).text).toMatch(/Old script[\s\S]*revoked/);
  });

  it("refuses to revoke the account's last key (409)", async () => {
    const { apiKey } = await createTestAccount(env.container);
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const id = (
      (await env.container.db.query('SELECT id FROM api_keys WHERE key_hash = $1', [sha256Hex(apiKey)])) as {
        id: string;
      }[]
    )[0]!.id;
    await agent.post(`/app/keys/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(409);
    await api(apiKey).get('/api/v1/contacts').expect(200);
  });

  it('ends the console sessions signed in with a key when the key is revoked', async () => {
    const { apiKey } = await createTestAccount(env.container);
    const other = api(apiKey);
    const created = await request(createApp(env.container))
      .post('/api/v1/keys')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ name: 'Laptop' })
      .expect(201);
    const signedInWithOld = await signedInAgent(env.container, apiKey);
    const signedInWithNew = await signedInAgent(env.container, created.body.key);

    await other.delete(`/api/v1/keys/${created.body.id}`).expect(204);
    const ended = await signedInWithNew.agent.get('/app/contacts').expect(303);
    expect(ended.headers.location).toBe('/app/login?next=%2Fapp%2Fcontacts');
    await signedInWithOld.agent.get('/app/contacts').expect(200);

    // And a session whose own key is revoked from the console goes back to the sign-in page.
    const third = await request(createApp(env.container))
      .post('/api/v1/keys')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ name: 'Tablet' })
      .expect(201);
    const signedInWithThird = await signedInAgent(env.container, third.body.key);
    const selfRevoked = await signedInWithThird.agent
      .post(`/app/keys/${third.body.id}/revoke`)
      .type('form')
      .send({ _csrf: signedInWithThird.csrf })
      .expect(303);
    expect(selfRevoked.headers.location).toBe('/app/login');
    await signedInWithThird.agent.get('/app/contacts').expect(303);
  });
});
