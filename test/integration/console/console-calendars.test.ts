import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createCalendar } from '../../../src/booking/calendar-service';
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

/** The text of a copy field (`<code id=…>`), as the Copy button copies it. */
const valueOf = (html: string, id: string): string =>
  decodeHref(new RegExp(`id="${id}">([^<]+)<`).exec(html)?.[1] ?? '');

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

  it('asks for a phone number on the booking page when "Ask for a phone number" is checked, and unchecking stops it', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const blank = await agent.get('/app/calendars/new').expect(200);
    expect(blank.text).toMatch(/<input type="checkbox" name="askPhone" value="on" aria-describedby="askPhone-hint">/);
    expect(blank.text).toContain('Ask for a phone number</label>');

    const created = await agent
      .post('/app/calendars')
      .type('form')
      .send(calendarForm(csrf, { name: 'Phone call', slug: 'phone-call', askPhone: 'on' }))
      .expect(303);
    const calendarId = /\/app\/calendars\/([0-9a-f-]{36})/.exec(created.headers.location!)![1]!;
    const askPhone = async (): Promise<boolean> =>
      (
        (await env.container.db.query('SELECT ask_phone FROM calendars WHERE id = $1', [calendarId])) as {
          ask_phone: boolean;
        }[]
      )[0]!.ask_phone;
    expect(await askPhone()).toBe(true);
    expect((await agent.get(`/app/calendars/${calendarId}`).expect(200)).text).toMatch(
      /name="askPhone" value="on" aria-describedby="askPhone-hint" checked>/,
    );
    expect((await request(createApp(env.container)).get('/c/phone-call').expect(200)).text).toContain('Your phone');

    await agent.post(`/app/calendars/${calendarId}`).type('form').send(calendarForm(csrf)).expect(303);
    expect(await askPhone()).toBe(false);
    expect((await request(createApp(env.container)).get('/c/phone-call').expect(200)).text).not.toContain('Your phone');
  });

  it('shares a calendar: four tabs, a link on opening the One Time Link tab, and Generate New Link mints another that books', async () => {
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
    expect(embed).toContain('data-linkflow-popup&#x3D;&quot;http://book.example.com/c/demo-call&quot;');
    expect(embed).toContain('&lt;a href&#x3D;&quot;http://book.example.com/c/demo-call&quot;&gt;');
    const count = async (): Promise<number> =>
      Number((await env.container.db.query('SELECT count(*) FROM one_time_links'))[0].count);
    expect(await count()).toBe(0); // the other tabs mint nothing

    // Opening the tab shows a link at once; opening it again (twice at once, too) shows the same one.
    const opened = await Promise.all(
      [1, 2, 3].map(() => agent.get(`/app/calendars/${calendarId}/share?tab=one-time`).expect(200)),
    );
    const firstUrl = valueOf(opened[0]!.text, 'share-one-time');
    expect(firstUrl).toMatch(/^http:\/\/book\.example\.com\/book\/[A-Za-z0-9_-]{43}$/);
    expect(opened.map((page) => valueOf(page.text, 'share-one-time'))).toEqual([firstUrl, firstUrl, firstUrl]);
    expect(await count()).toBe(1);

    const second = await agent
      .post(`/app/calendars/${calendarId}/share/one-time-link`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const secondUrl = valueOf((await agent.get(second.headers.location!)).text, 'share-one-time');
    expect(secondUrl).not.toBe(firstUrl);
    await request(createApp(env.container)).get(new URL(secondUrl).pathname).expect(200);
  });

  it('generates a link with the chosen expiry, uses and contact, and says what to fix in a refused form', async () => {
    const other = await createTestAccount(env.container);
    const calendar = await env.container.db.transaction((tx) =>
      createCalendar(tx, other.accountId, {
        name: 'Intro',
        slug: 'intro',
        timezone: 'UTC',
        availability: [{ day: 'mon', start: '09:00', end: '17:00' }],
      }),
    );
    const contact = await addContact(env.container, other.accountId, {
      email: 'pia@example.com',
      firstName: 'Pia',
      lastName: 'Picked',
    });
    const { agent, csrf } = await signedInAgent(env.container, other.apiKey);
    const suggested = await agent.get('/app/pickers/contacts?q=picK').expect(200);
    expect(suggested.body).toEqual({ items: [{ value: 'pia@example.com', label: 'Pia Picked <pia@example.com>' }] });

    const minted = await agent
      .post(`/app/calendars/${calendar.id}/share/one-time-link`)
      .type('form')
      .send({ _csrf: csrf, expiresIn: '1d', maxUses: '3', contact: 'PIA@example.com' })
      .expect(303);
    const linkId = new URL(minted.headers.location!, 'http://console').searchParams.get('link');
    const rows: { contact_id: string; max_uses: number; ttl_ms: number }[] = await env.container.db.query(
      `SELECT contact_id, max_uses, extract(epoch FROM expires_at - created_at) * 1000 AS ttl_ms
       FROM one_time_links WHERE id = $1`,
      [linkId],
    );
    expect(rows[0]!.contact_id).toBe(contact.id);
    expect(rows[0]!.max_uses).toBe(3);
    expect(Math.abs(Number(rows[0]!.ttl_ms) - 24 * 3600 * 1000)).toBeLessThan(60_000);
    const shown = await agent.get(minted.headers.location!).expect(200);
    expect(shown.text).toContain(
      '<div class="dialog-status" role="status" data-status><p class="notice">A new one-time link',
    );
    expect(shown.text).toContain(`For <a href="/app/contacts/${contact.id}">Pia Picked &lt;pia@example.com&gt;</a>`);
    expect(shown.text).toContain('0 / 3 used');

    const before = await countLinks(other.accountId);
    const refused = await agent
      .post(`/app/calendars/${calendar.id}/share/one-time-link`)
      .type('form')
      .send({ _csrf: csrf, expiresIn: 'forever', maxUses: '0', contact: 'nobody@example.com' })
      .expect(400);
    expect(refused.text).toContain('&#x27;forever&#x27; is not a duration');
    expect(refused.text).toContain('<span class="field-error">at least 1</span>');
    expect(refused.text).toContain('no contact is known by “nobody@example.com”: type their email');
    expect(refused.text).toContain('value="nobody@example.com"'); // the form comes back as it was sent
    // The refused page shows the shared link (minting it: none existed), and nothing for the refused form.
    expect(await countLinks(other.accountId)).toBe(before + 1);
    const shared = valueOf(refused.text, 'share-one-time');

    // Once the shared link is used, opening the tab shows a fresh one.
    await env.container.db.query(
      "UPDATE one_time_links SET uses = 1, status = 'used' WHERE account_id = $1 AND contact_id IS NULL",
      [other.accountId],
    );
    const reopened = await agent.get(`/app/calendars/${calendar.id}/share?tab=one-time`).expect(200);
    expect(valueOf(reopened.text, 'share-one-time')).not.toBe(shared);
    expect(await countLinks(other.accountId)).toBe(before + 2);
  });

  const countLinks = async (account: string): Promise<number> =>
    Number(
      (await env.container.db.query('SELECT count(*) FROM one_time_links WHERE account_id = $1', [account]))[0].count,
    );

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
