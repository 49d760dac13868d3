import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { fieldsOf, runCli } from '../../helpers/run-cli';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

describe('npm run cli -- keys:*', () => {
  let env: TestEnv;
  const cli = (...args: string[]) => runCli(args, env.env);
  const contacts = (key: string) =>
    request(createApp(env.container)).get('/api/v1/contacts').set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it("creates a named key, lists the account's keys without them, and revokes one", async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    const created = await cli('keys:create', '--account', accountId, '--name', 'Nightly export');
    expect(created.status).toBe(0);
    const fields = fieldsOf(created.stdout);
    expect(fields).toMatchObject({
      account: accountId,
      name: 'Nightly export',
      scope: 'account',
      prefix: fields.apiKey!.slice(0, 11),
    });
    await contacts(fields.apiKey!).expect(200);

    const listed = await cli('keys:list', '--account', accountId);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(fields.id);
    expect(listed.stdout).toContain('Nightly export');
    expect(listed.stdout).not.toContain(fields.apiKey);

    const revoked = await cli('keys:revoke', fields.id!);
    expect(revoked.status).toBe(0);
    await contacts(fields.apiKey!).expect(401);
    await contacts(apiKey).expect(200);
    expect((await cli('keys:list', '--account', accountId)).stdout).toMatch(/Nightly export.*revoked/);
  });

  it("refuses to revoke an account's last key, or a key that does not exist (exit 1)", async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    const id = (
      (await env.container.db.query('SELECT id FROM api_keys WHERE account_id = $1', [accountId])) as { id: string }[]
    )[0]!.id;
    const last = await cli('keys:revoke', id);
    expect(last.status).toBe(1);
    expect(last.stderr).toContain('last');
    await contacts(apiKey).expect(200);
    const missing = await cli('keys:revoke', '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('API key not found');
    expect((await cli('keys:revoke')).status).toBe(2);
  });
});
