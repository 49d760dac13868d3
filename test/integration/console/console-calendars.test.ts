import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { addContact } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { decodeHref, signedInAgent } from './console-client';

/** The form of a calendar: Monday and Wednesday open, other days off. */
function calendarForm(csrf: string, overrides: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {
    _csrf: csrf,
    name: 'Demo call',
    slug: '',
    timezone: 'Europe/Paris',
    durationMinutes: '45',
    bookingWindowDays: '30',
    minNoticeMinutes: '0',
    ownerName: 'Olive Owner',
    ownerEmail: 'olive@example.com',
  };
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
    form[`avail_${day}_0_start`] = '09:00';
    form[`avail_${day}_0_end`] = '17:00';
  }
  form.avail_mon_0_on = 'on';
  form.avail_wed_0_on = 'on';
  return { ...form, ...overrides };
}

const valueOf = (html: string, id: string): string =>
  decodeHref(new RegExp(`id="${id}" value="([^"]+)"`).exec(html)?.[1] ?? '');

describe('calendars and one-time links in the console', () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'http://book.example.com' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('creates a calendar from the availability grid, showing a bad range next to its day', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const refused = await agent
      .post('/app/calendars')
      .type('form')
      .send(calendarForm(csrf, { avail_wed_0_end: '08:00', durationMinutes: '1' }))
      .expect(400);
    expect(refused.text).toMatch(/Wednesday<\/th>[^]*?<span class="field-error">end must be after start<\/span>/);
    expect(refused.text).toMatch(/id="durationMinutes"[^>]*value="1"><span class="field-error">/);

    const created = await agent.post('/app/calendars').type('form').send(calendarForm(csrf)).expect(303);
    const calendarId = /\/app\/calendars\/([0-9a-f-]{36})/.exec(created.headers.location!)![1]!;
    const stored: { availability: unknown; timezone: string; duration_minutes: number; slug: string }[] =
      await env.container.db.query(
        'SELECT availability, timezone, duration_minutes, slug FROM calendars WHERE id = $1',
        [calendarId],
      );
    expect(stored[0]).toEqual({
      availability: [
        { day: 'mon', start: '09:00', end: '17:00' },
        { day: 'wed', start: '09:00', end: '17:00' },
      ],
      timezone: 'Europe/Paris',
      duration_minutes: 45,
      slug: 'demo-call',
    });

    await agent
      .post(`/app/calendars/${calendarId}`)
      .type('form')
      .send(calendarForm(csrf, { avail_fri_0_on: 'on', ownerName: '' }))
      .expect(303);
    const edited = await agent.get(`/app/calendars/${calendarId}`).expect(200);
    expect(edited.text).toContain('id="avail_fri_0_on" name="avail_fri_0_on" value="on" checked');
    const row: { owner_name: string | null }[] = await env.container.db.query(
      'SELECT owner_name FROM calendars WHERE id = $1',
      [calendarId],
    );
    expect(row[0]!.owner_name).toBeNull();
  });

  it('shares a calendar: four tabs, and Generate New Link mints a different link that books', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const list = await agent.get('/app/calendars').expect(200);
    const calendarId = /href="\/app\/calendars\/([0-9a-f-]{36})\/share">Share<\/a>/.exec(list.text)![1]!;

    const scheduling = await agent.get(`/app/calendars/${calendarId}/share`).expect(200);
    expect(valueOf(scheduling.text, 'share-scheduling')).toBe('http://book.example.com/c/demo-call');
    expect(valueOf((await agent.get(`/app/calendars/${calendarId}/share?tab=permanent`)).text, 'share-permanent')).toBe(
      `http://book.example.com/c/${calendarId}`,
    );
    const embed = (await agent.get(`/app/calendars/${calendarId}/share?tab=embed`)).text;
    expect(embed).toContain('&lt;iframe src&#x3D;&quot;http://book.example.com/c/demo-call&quot;');
    const empty = await agent.get(`/app/calendars/${calendarId}/share?tab=one-time`).expect(200);
    expect(empty.text).toContain('No unused one-time link yet.');
    const links: { count: string }[] = await env.container.db.query('SELECT count(*) FROM one_time_links');
    expect(Number(links[0]!.count)).toBe(0); // opening the dialog mints nothing

    const first = await agent
      .post(`/app/calendars/${calendarId}/share/one-time-link`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const firstPage = await agent.get(first.headers.location!).expect(200);
    const firstUrl = valueOf(firstPage.text, 'share-one-time');
    expect(firstUrl).toMatch(/^http:\/\/book\.example\.com\/book\/[A-Za-z0-9_-]{43}$/);
    expect(valueOf((await agent.get(`/app/calendars/${calendarId}/share?tab=one-time`)).text, 'share-one-time')).toBe(
      firstUrl,
    );

    const second = await agent
      .post(`/app/calendars/${calendarId}/share/one-time-link`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const secondUrl = valueOf((await agent.get(second.headers.location!)).text, 'share-one-time');
    expect(secondUrl).not.toBe(firstUrl);
    await request(createApp(env.container)).get(new URL(secondUrl).pathname).expect(200);
  });

  it('lists one-time links by status, calendar and contact, and revokes one', async () => {
    const contact = await addContact(env.container, accountId, { email: 'linked@example.com' });
    const calendars: { id: string }[] = await env.container.db.query('SELECT id FROM calendars WHERE account_id = $1', [
      accountId,
    ]);
    const api = request(createApp(env.container));
    const minted = await api
      .post(`/api/v1/calendars/${calendars[0]!.id}/one-time-links`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ contactId: contact.id })
      .expect(201);

    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const byContact = await agent.get('/app/links?contact=LINKED@example.com').expect(200);
    expect([...byContact.text.matchAll(/data-link-id="([^"]+)"/g)].map((m) => m[1])).toEqual([minted.body.id]);
    expect((await agent.get('/app/links?contact=nobody@example.com')).text).toContain('No contact is known by');
    expect([...(await agent.get('/app/links?status=active')).text.matchAll(/data-link-id=/g)]).toHaveLength(3);

    const revoked = await agent
      .post(`/app/links/${minted.body.id}/revoke`)
      .type('form')
      .send({ _csrf: csrf, returnTo: `/app/contacts/${contact.id}` })
      .expect(303);
    expect(revoked.headers.location).toBe(`/app/contacts/${contact.id}?notice=revoked`);
    const page = await agent.get(revoked.headers.location!).expect(200);
    expect(page.text).toContain('<span class="status status-revoked">revoked</span>');
    expect([...(await agent.get('/app/links?status=revoked')).text.matchAll(/data-link-id=/g)]).toHaveLength(1);
    const outside = await agent
      .post(`/app/links/${minted.body.id}/revoke`)
      .type('form')
      .send({ _csrf: csrf, returnTo: 'https://evil.example.com/' })
      .expect(303);
    expect(outside.headers.location).toBe('/app/links?notice=revoked');
  });
});
