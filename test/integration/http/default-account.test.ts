import { ensureDefaultAccount } from '../../../src/accounts/bootstrap';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

/** Proves a key works and is admin: only admins may create accounts. */
async function expectAdminKey(api: ReturnType<typeof apiClient>, apiKey: string): Promise<void> {
  expect((await api.as(apiKey).get('/api/v1/contacts')).status).toBe(200);
  expect((await api.as(apiKey).post('/api/v1/accounts').send({ name: 'Made by admin' })).status).toBe(201);
}

describe('the default account', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  beforeEach(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
  });
  afterEach(async () => env.cleanup());

  it('is created once with a generated admin key when API_KEY is unset, even by concurrent starts', async () => {
    const results = await Promise.all([ensureDefaultAccount(env.container), ensureDefaultAccount(env.container)]);
    const generated = results.flatMap((r) => (r.generatedApiKey ? [r.generatedApiKey] : []));
    expect(generated).toHaveLength(1);
    expect(results[0]!.accountId).toBe(results[1]!.accountId);
    await expectAdminKey(api, generated[0]!);

    const again = await ensureDefaultAccount(env.container);
    expect(again).toEqual({ accountId: results[0]!.accountId });
    const defaults: { name: string; timezone: string }[] = await env.container.db.query(
      'SELECT name, timezone FROM accounts WHERE is_default',
    );
    expect(defaults).toEqual([{ name: 'Default', timezone: 'UTC' }]);
  });

  it('makes a configured API_KEY an admin key of the default account, idempotently', async () => {
    const apiKey = 'configured-key-0123456789abcdef';
    const container = { ...env.container, config: { ...env.container.config, API_KEY: apiKey } };
    const [first, second] = await Promise.all([ensureDefaultAccount(container), ensureDefaultAccount(container)]);
    expect(first).toEqual({ accountId: expect.any(String) });
    expect(second).toEqual(first);
    expect(await ensureDefaultAccount(container)).toEqual(first);
    await expectAdminKey(api, apiKey);
    const keys: unknown[] = await env.container.db.query('SELECT 1 FROM api_keys WHERE account_id = $1', [
      first.accountId,
    ]);
    expect(keys).toHaveLength(1);
  });

  it('keeps a revoked API_KEY revoked at the next start instead of re-creating it', async () => {
    const apiKey = 'configured-key-0123456789abcdef';
    const container = { ...env.container, config: { ...env.container.config, API_KEY: apiKey } };
    const { accountId } = await ensureDefaultAccount(container);
    const spare = await api.as(apiKey).post('/api/v1/keys').send({ name: 'Spare' }).expect(201);
    const id = (
      (await env.container.db.query('SELECT id FROM api_keys WHERE account_id = $1 AND id <> $2', [
        accountId,
        spare.body.id,
      ])) as { id: string }[]
    )[0]!.id;
    await api
      .as(spare.body.key as string)
      .delete(`/api/v1/keys/${id}`)
      .expect(204);

    const again = await ensureDefaultAccount(container);
    expect(again).toEqual({ accountId, configuredKeyRevoked: true });
    const refused = await api.as(apiKey).get('/api/v1/contacts');
    expect(refused.status).toBe(401);
    const keys: { revoked: boolean }[] = await env.container.db.query(
      'SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = $1',
      [id],
    );
    expect(keys).toEqual([{ revoked: true }]);
  });
});
