import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { fieldsOf, runCli } from '../../helpers/run-cli';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY } from '../booking/booking-helpers';

describe('npm run cli', () => {
  let env: TestEnv;
  const cli = (...args: string[]) => runCli(args, env.env);

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('lists its commands with --help (exit 0), and without a command (exit 2)', async () => {
    const help = await cli('--help');
    expect(help.status).toBe(0);
    for (const name of ['accounts:create', 'keys:create', 'workflows:check', 'runs:retry', 'links:create'])
      expect(help.stdout).toContain(name);
    const bare = await cli();
    expect(bare.status).toBe(2);
    expect(bare.stdout).toContain('Usage: npm run cli -- <command>');
  });

  it('shows the options of each command with <command> --help', async () => {
    const help = await cli('links:create', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run cli -- links:create --calendar <slug|id>');
    expect(help.stdout).toContain('--contact <id>');
  });

  it('refuses bad usage with a message and exit 2', async () => {
    const unknown = await cli('accounts:delete');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'accounts:delete'");
    const missing = await cli('accounts:create');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--name is required');
    const badOption = await cli('accounts:create', '--name', 'Acme', '--colour', 'red');
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--colour'");
    const badZone = await cli('accounts:create', '--name', 'Acme', '--timezone', 'Mars/Olympus');
    expect(badZone.status).toBe(2);
    expect(badZone.stderr).toContain('timezone: not a valid IANA time zone');
    const extra = await cli('runs:retry', 'a', 'b');
    expect(extra.status).toBe(2);
  });

  it('creates an account whose key works against the API (accounts:create)', async () => {
    const result = await cli('accounts:create', '--name', 'Acme Marketing', '--timezone', 'Europe/Paris');
    expect(result.status).toBe(0);
    const fields = fieldsOf(result.stdout);
    expect(fields).toMatchObject({ name: 'Acme Marketing', timezone: 'Europe/Paris', scope: 'account' });
    expect(fields.apiKey).toMatch(/^lf_/);
    const app = createApp(env.container);
    await request(app)
      .post('/api/v1/contacts')
      .set('Authorization', `Bearer ${fields.apiKey}`)
      .send({ email: 'cli@example.com' })
      .expect(201);
    await request(app)
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${fields.apiKey}`)
      .send({ name: 'Other' })
      .expect(403);
    const rows: { account_id: string }[] = await env.container.db.query(
      "SELECT account_id FROM contacts WHERE email = 'cli@example.com'",
    );
    expect(rows[0]!.account_id).toBe(fields.id);
  });

  it('creates another key for an account (keys:create), and says so when the account does not exist (exit 1)', async () => {
    const { accountId } = await createTestAccount(env.container);
    const result = await cli('keys:create', '--account', accountId, '--admin');
    expect(result.status).toBe(0);
    const { apiKey, scope } = fieldsOf(result.stdout);
    expect(scope).toBe('admin');
    await request(createApp(env.container))
      .post('/api/v1/accounts')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ name: 'Made by admin' })
      .expect(201);

    const missing = await cli('keys:create', '--account', '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Account not found');
  });

  it('mints a one-time link for a calendar slug and contact (links:create)', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    const auth = { Authorization: `Bearer ${apiKey}` };
    const app = createApp(env.container);
    const calendar = await request(app)
      .post('/api/v1/calendars')
      .set(auth)
      .send({ name: 'Demo', slug: 'cli-demo', timezone: 'UTC', availability: ALL_DAY })
      .expect(201);
    const contact = await request(app)
      .post('/api/v1/contacts')
      .set(auth)
      .send({ email: 'booker@example.com' })
      .expect(201);

    const result = await cli(
      'links:create',
      '--calendar',
      'cli-demo',
      '--contact',
      contact.body.id,
      '--max-uses',
      '2',
      '--expires-in',
      '3d',
    );
    expect(result.status).toBe(0);
    const fields = fieldsOf(result.stdout);
    const link = await request(app).get(`/api/v1/one-time-links/${fields.id}`).set(auth).expect(200);
    expect(link.body).toMatchObject({
      url: fields.url,
      calendarId: calendar.body.id,
      contactId: contact.body.id,
      maxUses: 2,
      status: 'active',
    });
    await request(app).get(new URL(fields.url!).pathname).expect(200);

    const scoped = await cli('links:create', '--calendar', 'cli-demo', '--account', accountId);
    expect(scoped.status).toBe(0);
    const otherAccount = await cli(
      'links:create',
      '--calendar',
      'cli-demo',
      '--account',
      '00000000-0000-4000-8000-000000000000',
    );
    expect(otherAccount.status).toBe(1);
    expect(otherAccount.stderr).toContain('Calendar not found');
    const noContact = await cli(
      'links:create',
      '--calendar',
      'cli-demo',
      '--contact',
      '00000000-0000-4000-8000-000000000000',
    );
    expect(noContact.status).toBe(1);
    expect(noContact.stderr).toContain('Contact not found');
    const badUses = await cli('links:create', '--calendar', 'cli-demo', '--max-uses', '0');
    expect(badUses.status).toBe(2);
    expect(badUses.stderr).toContain('--max-uses');
  });

  it('checks workflow files (workflows:check)', async () => {
    const result = await cli('workflows:check', 'workflows');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ok  workflows/new-lead-nurture.yaml');
    const missing = await cli('workflows:check'); // WORKFLOWS_DIR of the test environment does not exist
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('/nonexistent-workflows-dir: no such directory');
  });

  it('fails with exit 1 and a clear message when PostgreSQL cannot be reached', async () => {
    const result = await runCli(['keys:create', '--account', '00000000-0000-4000-8000-000000000000'], {
      ...env.env,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/linkflow',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/linkflow');
  });
});
