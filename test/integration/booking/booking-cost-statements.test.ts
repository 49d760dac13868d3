import request from 'supertest';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { bookingApi, bookPath, listen, type BookingApi } from './booking-helpers';
import { statementsOf } from '../../helpers/statement-watch';

/**
 * What `POST /book/:token` costs PostgreSQL, counted at the wire (pg's Client.query wrapped, as the
 * bench's probe does): with the calendar parsed before and unchanged, two statements and no
 * transaction (the link's read shared with concurrent bookings'); an edited calendar is read again, never served from before the edit.
 */
describe('booking with a one-time link, statement by statement', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;
  let apiKey: string;
  let calendarId: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    http = await listen(env.container);
    api = bookingApi(http.server, apiKey);
    calendarId = (await api.createCalendar({ slug: 'cost', durationMinutes: 30 })).id;
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  let nextSlot = 0;
  let contacts = 0;
  const slot = async (): Promise<string> => (await api.slots(calendarId))[(nextSlot += 3)]!.start;

  const book = async (start: string) => {
    const contact = await addContact(env.container, accountId, { email: `cost-${(contacts += 1)}@example.com` });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    return statementsOf(() =>
      request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({ start }),
    );
  };

  it('books in two statements and no transaction: the link read, then one that spends it, books and records both events', async () => {
    await book(await slot()); // the first booking of the calendar reads and parses it
    const { result, sent } = await book(await slot());
    expect(result.status).toBe(201);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^SELECT .* FROM one_time_links WHERE token_hash = ANY \(\$1::text\[\]\)$/);
    expect(sent[1]).toMatch(
      /^WITH w AS MATERIALIZED .* UPDATE one_time_links .* INSERT INTO appointments .* INSERT INTO outbox_events/,
    );
    const events: { type: string; data: Record<string, unknown> }[] = await env.container.db.query(
      `SELECT type, data FROM outbox_events WHERE data->>'appointmentId' = $1 ORDER BY id`,
      [result.body.appointment.id],
    );
    expect(events.map((event) => event.type)).toEqual(['appointment.booked', 'link.redeemed']);
    expect(events[1]!.data).toMatchObject({ uses: 1, maxUses: 1, start: result.body.appointment.start });
  });

  /** Six links of six new contacts, after one booking that makes sure the calendar is parsed. */
  const sixFreshLinks = async () => {
    await book(await slot());
    return Promise.all(
      Array.from({ length: 6 }, async () => {
        const contact = await addContact(env.container, accountId, { email: `cost-${(contacts += 1)}@example.com` });
        return api.mintLink(calendarId, { contactId: contact.id });
      }),
    );
  };

  it("reads and books concurrent bookings' links in shared statements, each booking answered with its own link", async () => {
    const links = await sixFreshLinks();
    const starts: string[] = [];
    for (const _link of links) starts.push(await slot());
    const { result: answers, sent } = await statementsOf(() =>
      Promise.all(
        links.map((link, i) =>
          request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({ start: starts[i] }),
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array<number>(6).fill(201));
    const reads = sent.filter((sql) => /FROM one_time_links WHERE token_hash = ANY/.test(sql));
    // Six requests that arrive together share reads (one when they all arrived in one turn of the event loop).
    expect(reads.length).toBeLessThan(6);
    // And booked together: fewer spend-and-book statements than bookings, each answered with its own.
    const spends = sent.filter((sql) => /UPDATE one_time_links (l )?SET uses/.test(sql));
    expect(spends.length).toBeGreaterThan(0);
    expect(spends.length).toBeLessThan(6);
    expect(spends.every((sql) => sql.startsWith('WITH w AS MATERIALIZED'))).toBe(true);
    const booked: { link_id: string; start_at: Date }[] = await env.container.db.query(
      'SELECT link_id, start_at FROM appointments WHERE link_id = ANY ($1::uuid[])',
      [links.map((link) => link.id)],
    );
    expect(new Map(booked.map((row) => [row.link_id, row.start_at.toISOString()]))).toEqual(
      new Map(links.map((link, i) => [link.id, new Date(starts[i]!).toISOString()])),
    );
    answers.forEach((answer, i) => expect(answer.body.appointment.start).toBe(new Date(starts[i]!).toISOString()));
  });

  it('gives one slot wanted by six links at once to one of them: the others 409, their links unspent', async () => {
    const links = await sixFreshLinks();
    const start = await slot();
    const answers = await Promise.all(
      links.map((link) =>
        request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({ start }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const answer of answers.filter((a) => a.status === 409))
      expect(answer.body.error.code).toBe('slot_unavailable');
    const uses = await Promise.all(links.map(async (link) => (await api.link(link.id)).uses));
    expect(uses.sort()).toEqual([0, 0, 0, 0, 0, 1]);
    const booked: unknown[] = await env.container.db.query(
      `SELECT 1 FROM appointments WHERE calendar_id = $1 AND start_at = $2 AND status = 'booked'`,
      [calendarId, start],
    );
    expect(booked).toHaveLength(1);
    const events: { type: string }[] = await env.container.db.query(
      `SELECT type FROM outbox_events WHERE data->>'linkId' = ANY ($1::text[]) ORDER BY id`,
      [links.map((link) => link.id)],
    );
    expect(events.map((event) => event.type)).toEqual(['appointment.booked', 'link.redeemed']);
  });

  it('lets one of 30 concurrent bookings of a link through, with one appointment and one pair of events', async () => {
    const contact = await addContact(env.container, accountId, { email: `cost-${(contacts += 1)}@example.com` });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    const starts = await Promise.all(Array.from({ length: 30 }, () => slot()));
    const answers = await Promise.all(
      starts.map((start) =>
        request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({ start }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(29).fill(410)]);
    const appointments: unknown[] = await env.container.db.query('SELECT 1 FROM appointments WHERE link_id = $1', [
      link.id,
    ]);
    expect(appointments).toHaveLength(1);
    const events: { type: string }[] = await env.container.db.query(
      `SELECT type FROM outbox_events WHERE data->>'linkId' = $1 ORDER BY id`,
      [link.id],
    );
    expect(events.map((event) => event.type)).toEqual(['appointment.booked', 'link.redeemed']);
    expect(await api.link(link.id)).toMatchObject({ status: 'used', uses: 1 });
  });

  it('falls back to one transaction when the one statement cannot answer: a taken slot is 409 and leaves the link usable', async () => {
    const start = await slot();
    expect((await book(start)).result.status).toBe(201);
    const contact = await addContact(env.container, accountId, { email: `cost-${(contacts += 1)}@example.com` });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    const taken = await request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({ start });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slot_unavailable');
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0 });
    // A start off the grid goes through the transaction, which answers 400 as it always did.
    const { result, sent } = await statementsOf(() =>
      request(http.server)
        .post(bookPath(link.url))
        .set('Accept', 'application/json')
        .send({ start: new Date(Date.parse(start) + 60_000).toISOString() }),
    );
    expect(result.status).toBe(400);
    expect(sent).toContain('ROLLBACK');
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0 });
  });

  it('reads an edited calendar again: a start off its new grid is refused', async () => {
    await book(await slot());
    // 30 → 45 minutes: a start at :30 is no longer on the grid of an all-day calendar.
    await request(http.server)
      .patch(`/api/v1/calendars/${calendarId}`)
      .set({ Authorization: `Bearer ${apiKey}` })
      .send({ durationMinutes: 45 })
      .expect(200);
    const start = new Date(Date.now() + 3 * 24 * 3600_000);
    start.setUTCHours(0, 30, 0, 0);
    const { result, sent } = await book(start.toISOString());
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('validation_failed');
    expect(sent.filter((sql) => /FROM calendars WHERE/.test(sql))).toHaveLength(1);
  });
});
