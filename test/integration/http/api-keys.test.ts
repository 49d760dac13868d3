import { revokeApiKey } from '../../../src/accounts/api-key-service';
import { ConflictError } from '../../../src/lib/errors';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

type Api = ReturnType<typeof apiClient>;

/** A new key of the caller's account, through the API. */
async function createKey(
  api: Api,
  callerKey: string,
  body: Record<string, unknown>,
): Promise<{ id: string; key: string } & Record<string, unknown>> {
  const response = await api.as(callerKey).post('/api/v1/keys').send(body);
  expect(response.status).toBe(201);
  return response.body;
}

describe('API keys of an account (/api/v1/keys)', () => {
  let env: TestEnv;
  let api: Api;
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
  });
  afterAll(async () => env.cleanup());

  it("creates a key of the caller's account, shown once, that works and is not admin", async () => {
    const member = await createTestAccount(env.container);
    const created = await createKey(api, member.apiKey, { name: 'Zapier' });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Zapier',
      key: expect.stringMatching(/^lf_[A-Za-z0-9_-]{43}$/),
      prefix: created.key.slice(0, 11),
      scope: 'account',
      createdAt: expect.any(String),
    });
    const stored: { account_id: string; key_hash: string }[] = await env.container.db.query(
      'SELECT account_id, key_hash FROM api_keys WHERE id = $1',
      [created.id],
    );
    expect(stored).toEqual([{ account_id: member.accountId, key_hash: expect.not.stringContaining(created.key) }]);
    expect((await api.as(created.key).get('/api/v1/contacts')).status).toBe(200);
    expect((await api.as(created.key).post('/api/v1/accounts').send({ name: 'Nope' })).status).toBe(403);
  });

  it("lists only the account's own keys, without the key itself", async () => {
    const member = await createTestAccount(env.container);
    const other = await createTestAccount(env.container);
    const created = await createKey(api, member.apiKey, { name: 'Reporting' });
    await createKey(api, other.apiKey, { name: 'Theirs' });
    const response = await api.as(member.apiKey).get('/api/v1/keys');
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(2);
    expect(response.body.items).toContainEqual({
      id: created.id,
      name: 'Reporting',
      prefix: created.prefix,
      scope: 'account',
      createdAt: created.createdAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(response.body)).not.toContain(created.key);
    expect(response.body.items.map((item: { name: string }) => item.name)).not.toContain('Theirs');
  });

  it('revokes a key (204): the key answers 401 at once and the listing shows when', async () => {
    const member = await createTestAccount(env.container);
    const doomed = await createKey(api, member.apiKey, { name: 'Leaked' });
    expect((await api.as(doomed.key).get('/api/v1/contacts')).status).toBe(200);
    const revoked = await api.as(member.apiKey).delete(`/api/v1/keys/${doomed.id}`);
    expect(revoked.status).toBe(204);
    const refused = await api.as(doomed.key).get('/api/v1/contacts');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    const listed = await api.as(member.apiKey).get('/api/v1/keys');
    expect(listed.body.items.find((item: { id: string }) => item.id === doomed.id).revokedAt).toEqual(
      expect.any(String),
    );
  });

  it("refuses to revoke the account's last live key (409 conflict), and the key keeps working", async () => {
    const member = await createTestAccount(env.container);
    const [{ id }] = (await api.as(member.apiKey).get('/api/v1/keys')).body.items;
    const response = await api.as(member.apiKey).delete(`/api/v1/keys/${id}`);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
    expect((await api.as(member.apiKey).get('/api/v1/contacts')).status).toBe(200);
  });

  it("leaves exactly one live key when an account's only two keys are revoked at once", async () => {
    const member = await createTestAccount(env.container);
    const second = await createKey(api, member.apiKey, { name: 'Second' });
    const ids = (await api.as(member.apiKey).get('/api/v1/keys')).body.items.map(
      (item: { id: string }) => item.id,
    ) as string[];
    expect(ids).toContain(second.id);
    const outcomes = await Promise.allSettled(
      ids.map((keyId) =>
        env.container.db.transaction((tx) => revokeApiKey(tx, { accountId: member.accountId, keyId })),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refusal] = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(refusal).toBeInstanceOf(ConflictError);
    const live: unknown[] = await env.container.db.query(
      'SELECT 1 FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL',
      [member.accountId],
    );
    expect(live).toHaveLength(1);
  });

  it("answers 404 for another account's key, an unknown id and a malformed one, revoking nothing", async () => {
    const member = await createTestAccount(env.container);
    const other = await createTestAccount(env.container);
    const theirs = await createKey(api, other.apiKey, { name: 'Theirs' });
    for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await api.as(member.apiKey).delete(`/api/v1/keys/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect((await api.as(theirs.key).get('/api/v1/contacts')).status).toBe(200);
  });

  it('gives an admin key only to an admin caller that asks for one (403 forbidden otherwise)', async () => {
    const member = await createTestAccount(env.container);
    const admin = await createTestAccount(env.container, { scope: 'admin' });
    const refused = await api.as(member.apiKey).post('/api/v1/keys').send({ name: 'Escalate', admin: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const names: { name: string }[] = await env.container.db.query('SELECT name FROM api_keys WHERE account_id = $1', [
      member.accountId,
    ]);
    expect(names.map((row) => row.name)).not.toContain('Escalate');

    const plain = await createKey(api, admin.apiKey, { name: 'Plain' });
    expect(plain.scope).toBe('account');
    const elevated = await createKey(api, admin.apiKey, { name: 'Ops', admin: true });
    expect(elevated.scope).toBe('admin');
    expect((await api.as(elevated.key).post('/api/v1/accounts').send({ name: 'By a new admin key' })).status).toBe(201);
  });

  it('rejects a key without a name, or with unknown fields, at their paths (400)', async () => {
    const member = await createTestAccount(env.container);
    const response = await api.as(member.apiKey).post('/api/v1/keys').send({ name: '  ', admin: 'yes', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      '',
      'admin',
      'name',
    ]);
  });

  it('writes "last used" once for 50 requests in a row, not once per request', async () => {
    const member = await createTestAccount(env.container);
    const key = await createKey(api, member.apiKey, { name: 'Busy' });
    // Every UPDATE of a row gives it a new xmin, even when the values stay the same.
    const version = async () =>
      (
        await env.container.db.query('SELECT xmin::text AS xmin, last_used_at FROM api_keys WHERE id = $1', [key.id])
      )[0] as { xmin: string; last_used_at: Date | null };
    const before = await version();
    expect(before.last_used_at).toBeNull();
    await api.as(key.key).get('/api/v1/contacts').expect(200);
    const afterFirst = await version();
    expect(afterFirst.last_used_at).toBeInstanceOf(Date);
    for (let i = 0; i < 49; i += 1) await api.as(key.key).get('/api/v1/contacts').expect(200);
    expect(await version()).toEqual(afterFirst);

    // Another process (its own memory) writes again only once the stored time is a minute old.
    const otherProcess = apiClient(env.container);
    await otherProcess.as(key.key).get('/api/v1/contacts').expect(200);
    expect(await version()).toEqual(afterFirst);
    await env.container.db.query("UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [
      key.id,
    ]);
    const aged = await version();
    await apiClient(env.container).as(key.key).get('/api/v1/contacts').expect(200);
    const refreshed = await version();
    expect(refreshed.xmin).not.toBe(aged.xmin);
    expect(refreshed.last_used_at!.getTime()).toBeGreaterThan(aged.last_used_at!.getTime());
    const listed = await api.as(member.apiKey).get('/api/v1/keys');
    expect(listed.body.items.find((item: { id: string }) => item.id === key.id).lastUsedAt).toBe(
      refreshed.last_used_at!.toISOString(),
    );
  });
});
