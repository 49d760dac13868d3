import { createTestAccount, createTestEnv, type TestEnv } from '../helpers/test-env';

describe('the test environment', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('gives each test file a migrated database of its own', async () => {
    const { accountId } = await createTestAccount(env.container);
    const rows: { count: string }[] = await env.container.db.query('SELECT count(*) FROM accounts');
    expect(rows[0]!.count).toBe('1');
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
