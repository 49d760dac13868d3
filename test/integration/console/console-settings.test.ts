import request from 'supertest';
import { createCalendar } from '../../../src/booking/calendar-service';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { csrfOf, decodeHref, signedInAgent } from './console-client';

/** Signs in through the form, as a browser would, and answers where the sign-in sends the visitor. */
async function signIn(agent: ReturnType<typeof request.agent>, apiKey: string, next?: string): Promise<string> {
  const form = await agent.get('/app/login').expect(200);
  const signedIn = await agent
    .post('/app/login')
    .type('form')
    .send({ apiKey, _csrf: csrfOf(form.text), ...(next && { next }) })
    .expect(303);
  return signedIn.headers.location as string;
}

describe('account settings in the console', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('asks an admin signing in for the first time, and goes on to the page asked for once saved', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container, {
      name: 'Default',
      scope: 'admin',
      settingsConfirmed: false,
    });
    const agent = request.agent(createApp(env.container));
    const location = await signIn(agent, apiKey, '/app/runs?status=failed');
    expect(location).toBe(`/app/settings?welcome=1&next=${encodeURIComponent('/app/runs?status=failed')}`);
    const page = await agent.get(location).expect(200);
    expect(page.text).toContain('Tell us about your business: contacts see this name in emails');
    expect(page.text).toContain('value="/app/runs?status&#x3D;failed"');

    const saved = await agent
      .post('/app/settings')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        welcome: '1',
        next: '/app/runs?status=failed',
        name: 'Acme Coaching',
        timezone: 'Europe/Paris',
        senderName: '',
        replyTo: 'hello@acme.test',
        consoleZone: 'account',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/app/runs?status=failed');
    const rows: { name: string; reply_to: string; sender_name: string | null; settings_confirmed_at: Date | null }[] =
      await env.container.db.query(
        'SELECT name, reply_to, sender_name, settings_confirmed_at FROM accounts WHERE id = $1',
        [accountId],
      );
    expect(rows[0]).toMatchObject({ name: 'Acme Coaching', reply_to: 'hello@acme.test', sender_name: null });
    expect(rows[0]!.settings_confirmed_at).toBeInstanceOf(Date);

    // Asked once: the next sign-in goes where it was headed.
    expect(await signIn(request.agent(createApp(env.container)), apiKey, '/app/calendars')).toBe('/app/calendars');
  });

  it("asks admin keys only: an account key's sign-in goes straight on", async () => {
    const member = await createTestAccount(env.container, { settingsConfirmed: false });
    expect(await signIn(request.agent(createApp(env.container)), member.apiKey)).toBe('/app');
    const admin = await createTestAccount(env.container, { scope: 'admin', settingsConfirmed: false });
    expect(await signIn(request.agent(createApp(env.container)), admin.apiKey)).toBe('/app/settings?welcome=1');
  });

  it('shows the settings with a Settings link, and keeps what was typed next to what is wrong', async () => {
    const { apiKey } = await createTestAccount(env.container, { name: 'Acme', timezone: 'Europe/Paris' });
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const page = await agent.get('/app/settings').expect(200);
    expect(page.text).toContain('<a href="/app/settings" aria-current="page">Settings</a>');
    expect(page.text).toMatch(
      /<input type="text" id="timezone" name="timezone" value="Europe\/Paris" list="zone-names"/,
    );
    expect(page.text).toContain('<option value="America/New_York">');

    const refused = await agent.post('/app/settings').type('form').send({
      _csrf: csrf,
      name: 'Acme',
      timezone: 'Mars/Olympus',
      senderName: 'Acme\u0007',
      replyTo: 'nope',
      consoleZone: 'viewer',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('value="Mars/Olympus"');
    expect(refused.text).toMatch(/id="timezone-issue">not a valid IANA time zone</);
    expect(refused.text).toMatch(/id="replyTo-issue">must be a valid email address</);
    expect(refused.text).toMatch(/id="senderName-issue">must not contain line breaks/);
    expect(refused.text).toMatch(/value="viewer" checked/);

    const saved = await agent
      .post('/app/settings')
      .type('form')
      .send({
        _csrf: csrf,
        name: 'Acme',
        timezone: 'asia/tokyo',
        senderName: 'Ada',
        replyTo: '',
        consoleZone: 'viewer',
      })
      .expect(303);
    expect(saved.headers.location).toBe('/app/settings?notice=saved');
    const after = await agent.get('/app/settings?notice=saved').expect(200);
    expect(after.text).toContain('Saved.');
    expect(after.text).toContain('value="Asia/Tokyo"');
    expect(after.text).toContain('value="Ada"');
  });
});

describe('times on console pages', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', timezone: 'Europe/Paris' }));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await env.cleanup();
  });

  const setZone = (consoleZone: 'account' | 'viewer') =>
    env.container.db.query('UPDATE accounts SET console_zone = $2 WHERE id = $1', [accountId, consoleZone]);

  it("are in the account's zone, or the viewer's when the account says so, and a waiting step reads as a sentence", async () => {
    await env.container.db.transaction((tx) =>
      createCalendar(tx, accountId, { name: 'Intro call', slug: 'intro', timezone: 'Europe/Paris', availability: [] }),
    );
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'nurture',
      name: 'Nurture',
      trigger: { type: 'contact.tag_added', tag: 'lead' },
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'nurtured' },
        {
          id: 'pause',
          type: 'wait',
          duration: '2d',
          event: 'appointment.booked',
          calendar: 'intro',
          onTimeout: 'nudge',
        },
        { id: 'thanks', name: 'Say thanks', type: 'add_tag', tag: 'booked', next: 'done' },
        { id: 'nudge', name: 'Nudge them', type: 'add_tag', tag: 'nudged' },
        { id: 'done', type: 'end' },
      ],
    });
    await addContact(env.container, accountId, { email: 'lead@example.com', tags: ['lead'] });
    const [run] = await waitFor(async () => {
      const runs = await runsOf(env.container, workflow.id);
      return runs[0]?.status === 'waiting' ? runs : null;
    });
    const { agent } = await signedInAgent(env.container, apiKey);

    const list = await agent.get('/app/runs').expect(200);
    expect(list.text).toMatch(/<td>\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} CES?T<\/td>/);
    expect(list.text).toContain('Times in Europe/Paris');
    expect(list.text).not.toMatch(/\d{2}:\d{2}:\d{2} UTC/);

    const page = await agent.get(`/app/runs/${run!.id}`).expect(200);
    expect(page.text).toMatch(
      /<p class="wait-summary">Waits 2 days \(until \w{3} \d{1,2} \w{3}(?: \d{4})?, \d{2}:\d{2} CES?T\), or until they book \(Intro call\)\. If they book, the run goes on to Say thanks; if the time runs out first, the run goes on to Nudge them\.<\/p>/,
    );
    expect(page.text).toMatch(/took (\d+ ms|[\d.]+ s)</);
    expect(page.text).not.toMatch(/\d{4,} ms/);

    await setZone('viewer');
    const tokyo = await agent.get(`/app/runs/${run!.id}`).set('Cookie', 'lf_zone=Asia%2FTokyo').expect(200);
    expect(tokyo.text).toMatch(/until \w{3} \d{1,2} \w{3}(?: \d{4})?, \d{2}:\d{2} GMT\+9\)/);
    expect(tokyo.text).toContain("Times in Asia/Tokyo (your browser's zone)");
    const forged = await agent.get('/app/runs').set('Cookie', 'lf_zone=%22%3E%3Cscript%3E').expect(200);
    expect(forged.text).toContain('Times in Europe/Paris');
    expect(forged.text).toContain('data-zone-source="viewer-pending"');
    await setZone('account');
  });

  it('writes the times of the workflow and key pages in the zone too', async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const keys = await agent.get('/app/keys').expect(200);
    expect(keys.text).toMatch(/<td>\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} CES?T<\/td>/);
    const workflows = await agent.get('/app/workflows').expect(200);
    const href = /href="(\/app\/workflows\/[0-9a-f-]{36})"/.exec(workflows.text)![1]!;
    const workflow = await agent.get(decodeHref(href)).expect(200);
    expect(workflow.text).toMatch(/Version 1<\/a> · \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} CES?T/);
  });
});
