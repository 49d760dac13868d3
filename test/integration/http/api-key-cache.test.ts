import type { Express } from 'express';
import request from 'supertest';
import { startApiKeyCache, type ApiKeyCache } from '../../../src/accounts/api-key-cache';
import { markRevoked } from '../../../src/accounts/api-key-store';
import { createApp } from '../../../src/roles/http-app';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

/**
 * The API role's memory of live keys (src/accounts/api-key-cache.ts): a key is read once, not on
 * every request; its revocation, by whichever process, is heard at once through LISTEN (the memory
 * would keep it for a minute here); and while the listening connection is down nothing is answered
 * from memory.
 */
describe('the API key cache of an API process', () => {
  let env: TestEnv;
  let keys: ReturnType<typeof startApiKeyCache>;
  let cache: ApiKeyCache;
  let app: Express;

  beforeAll(async () => {
    env = await createTestEnv();
    keys = startApiKeyCache(env.config.DATABASE_URL, env.container.logger, { ttlMs: 60_000 });
    cache = keys.cache!;
    app = createApp(env.container, { apiKeyCache: cache });
    await waitFor(() => cache.hearsRevocations || undefined, { what: 'the key cache to listen' });
  });
  afterAll(async () => {
    await keys.close();
    await env.cleanup();
  });

  const keyLookups = (sent: string[]) => sent.filter((sql) => sql.includes('FROM api_keys WHERE key_hash')).length;
  const get = (apiKey: string) => request(app).get('/api/v1/contacts').set('Authorization', `Bearer ${apiKey}`);
  const keyIdOf = async (accountId: string): Promise<string> =>
    (await env.container.db.query('SELECT id FROM api_keys WHERE account_id = $1', [accountId]))[0].id;

  it('reads a live key once for many requests', async () => {
    const { apiKey } = await createTestAccount(env.container);
    const { sent } = await statementsOf(async () => {
      for (let i = 0; i < 5; i++) await get(apiKey).expect(200);
    });
    expect(keyLookups(sent)).toBe(1);
  });

  it('refuses a key as soon as its revocation commits, whichever process revoked it', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    await get(apiKey).expect(200);
    await get(apiKey).expect(200); // from memory now
    // Revoked elsewhere: this app's routes play no part, only the commit's notification does.
    await markRevoked(env.container.db.manager, await keyIdOf(accountId));
    await waitFor(async () => ((await get(apiKey)).status === 401 ? true : undefined), {
      what: 'the revoked key refused',
      timeoutMs: 2000,
    });
    await get(apiKey).expect(401);
  });

  it('answers nothing from memory while revocations may go unheard, and remembers again once they are heard', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    await get(apiKey).expect(200);
    await env.container.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
      ['LISTEN linkflow_api_keys'],
    );
    await waitFor(() => (cache.hearsRevocations ? undefined : true), { what: 'the listener to be lost' });
    // A revocation no notification tells of: with the listener down, the key is read, and refused.
    await env.container.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [await keyIdOf(accountId)]);
    await get(apiKey).expect(401);

    const { apiKey: other } = await createTestAccount(env.container);
    await waitFor(() => cache.hearsRevocations || undefined, { what: 'the listener back', timeoutMs: 10_000 });
    const { sent } = await statementsOf(async () => {
      for (let i = 0; i < 3; i++) await get(other).expect(200);
    });
    expect(keyLookups(sent)).toBe(1);
  });
});
