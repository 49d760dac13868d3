import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

describe('the account settings API', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
  });
  afterAll(async () => env.cleanup());

  const confirmedAt = async (accountId: string): Promise<Date | null> => {
    const rows: { settings_confirmed_at: Date | null }[] = await env.container.db.query(
      'SELECT settings_confirmed_at FROM accounts WHERE id = $1',
      [accountId],
    );
    return rows[0]!.settings_confirmed_at;
  };

  it("answers the caller's own account with its defaults, to account and admin keys alike", async () => {
    const member = await createTestAccount(env.container, { name: 'Acme', timezone: 'Europe/Paris' });
    const admin = await createTestAccount(env.container, { name: 'Operator', scope: 'admin' });
    const mine = await api.as(member.apiKey).get('/api/v1/account');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      id: member.accountId,
      name: 'Acme',
      timezone: 'Europe/Paris',
      senderName: null,
      replyTo: null,
      consoleZone: 'account',
    });
    const theirs = await api.as(admin.apiKey).get('/api/v1/account');
    expect(theirs.body).toMatchObject({ id: admin.accountId, name: 'Operator' });
  });

  it('changes only the fields sent, canonicalises the zone and marks the settings confirmed', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', settingsConfirmed: false });
    expect(await confirmedAt(accountId)).toBeNull();
    const res = await api.as(apiKey).patch('/api/v1/account').send({
      timezone: 'europe/PARIS',
      senderName: '  Ada at Acme ',
      replyTo: 'ada@acme.test',
      consoleZone: 'viewer',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: accountId,
      name: 'Acme',
      timezone: 'Europe/Paris',
      senderName: 'Ada at Acme',
      replyTo: 'ada@acme.test',
      consoleZone: 'viewer',
    });
    const first = await confirmedAt(accountId);
    expect(first).toBeInstanceOf(Date);

    const renamed = await api.as(apiKey).patch('/api/v1/account').send({ name: 'Acme Coaching', replyTo: null });
    expect(renamed.body).toMatchObject({ name: 'Acme Coaching', senderName: 'Ada at Acme', replyTo: null });
    expect((await api.as(apiKey).get('/api/v1/account')).body).toEqual(renamed.body);
    expect(await confirmedAt(accountId)).toEqual(first);
  });

  it('refuses bad input at its paths and changes nothing', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', settingsConfirmed: false });
    const res = await api.as(apiKey).patch('/api/v1/account').send({
      name: '   ',
      timezone: 'Mars/Olympus',
      replyTo: 'not an email',
      senderName: 'Acme\r\nBcc: victim@example.com',
      consoleZone: 'moon',
      plan: 'gold',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(['', 'consoleZone', 'name', 'replyTo', 'senderName', 'timezone']);
    expect(res.body.error.issues.find((issue: { path: string }) => issue.path === '').message).toMatch(/plan/);
    const quoted = await api.as(apiKey).patch('/api/v1/account').send({ senderName: 'Acme" <boss@bank.test>' });
    expect(quoted.status).toBe(400);
    expect((await api.as(apiKey).get('/api/v1/account')).body).toMatchObject({ name: 'Acme', senderName: null });
    expect(await confirmedAt(accountId)).toBeNull();
  });

  it("never changes another account's settings and needs a key", async () => {
    const one = await createTestAccount(env.container, { name: 'One' });
    const two = await createTestAccount(env.container, { name: 'Two', scope: 'admin' });
    await api.as(two.apiKey).patch('/api/v1/account').send({ name: 'Two renamed' }).expect(200);
    expect((await api.as(one.apiKey).get('/api/v1/account')).body.name).toBe('One');
    expect((await api.raw().get('/api/v1/account')).status).toBe(401);
    expect((await api.raw().patch('/api/v1/account').send({ name: 'x' })).status).toBe(401);
  });
});
