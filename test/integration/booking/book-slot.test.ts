import request from 'supertest';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact } from '../../helpers/engine';
import { bookingApi, bookPath, listen, type BookingApi } from './booking-helpers';

/**
 * Both public pages book through one `bookSlot`; each keeps the order in which it reports a
 * request that is wrong in several ways, and a refused booking changes nothing.
 */
describe('booking a slot from the scheduling page and from a one-time link', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;
  let calendar: { id: string; slug: string };
  let starts: string[];
  /** A start between two slots of the 30-minute grid. */
  let offGrid: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    const account = await createTestAccount(env.container);
    accountId = account.accountId;
    http = await listen(env.container);
    api = bookingApi(http.server, account.apiKey);
    calendar = await api.createCalendar({ slug: 'one-path', durationMinutes: 30 });
    starts = (await api.slots(calendar.id)).map((slot) => slot.start);
    offGrid = new Date(new Date(starts[0]!).getTime() + 10 * 60_000).toISOString();
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  const postJson = (path: string, body: Record<string, unknown>) =>
    request(http.server).post(path).set('Accept', 'application/json').send(body);
  const contactsNamed = async (email: string): Promise<{ id: string; account_id: string }[]> =>
    env.container.db.query('SELECT id, account_id FROM contacts WHERE lower(email) = lower($1)', [email]);
  const issuePaths = (response: request.Response): string[] =>
    response.body.error.issues.map((issue: { path: string }) => issue.path).sort();

  it('reports the name and email of the scheduling page before its start, and creates no contact', async () => {
    const response = await postJson('/c/one-path', { name: '', email: 'nobody-at-all', start: offGrid });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(issuePaths(response)).toEqual(['email', 'name']);
    expect(await contactsNamed('nobody-at-all')).toEqual([]);
  });

  it('reports the start of a one-time link before the visitor’s name and email, and keeps the link’s use', async () => {
    const link = await api.mintLink(calendar.id);
    const bothWrong = await postJson(bookPath(link.url), { name: '', email: 'nope', start: offGrid });
    expect(bothWrong.status).toBe(400);
    expect(issuePaths(bothWrong)).toEqual(['start']);
    const visitorWrong = await postJson(bookPath(link.url), { name: '', email: 'nope', start: starts[1] });
    expect(visitorWrong.status).toBe(400);
    expect(issuePaths(visitorWrong)).toEqual(['email', 'name']);
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0 });
  });

  it('books a visitor of a link without a contact as the contact with their email, in the calendar’s account', async () => {
    const link = await api.mintLink(calendar.id);
    const booked = await postJson(bookPath(link.url), {
      name: 'Vera Visitor',
      email: 'vera@example.com',
      start: starts[2],
    });
    expect(booked.status).toBe(201);
    const [contact] = await contactsNamed('vera@example.com');
    expect(contact).toEqual({ id: expect.any(String), account_id: accountId });
    const redeemed: { contact_id: string; data: Record<string, unknown> }[] = await env.container.db.query(
      `SELECT contact_id, data FROM outbox_events WHERE type = 'link.redeemed' AND data->>'linkId' = $1`,
      [link.id],
    );
    expect(redeemed).toEqual([
      {
        contact_id: contact!.id,
        data: expect.objectContaining({ contactId: contact!.id, appointmentId: booked.body.appointment.id }),
      },
    ]);
  });

  it('books a link minted for a contact as that contact, whatever name and email are sent', async () => {
    const known = await addContact(env.container, accountId, { email: 'known@example.com' });
    const link = await api.mintLink(calendar.id, { contactId: known.id });
    const booked = await postJson(bookPath(link.url), {
      name: 'Someone Else',
      email: 'else@example.com',
      start: starts[3],
    });
    expect(booked.status).toBe(201);
    const rows: { contact_id: string }[] = await env.container.db.query(
      'SELECT contact_id FROM appointments WHERE id = $1',
      [booked.body.appointment.id],
    );
    expect(rows).toEqual([{ contact_id: known.id }]);
    expect(await contactsNamed('else@example.com')).toEqual([]);
  });

  it('answers 409 slot_unavailable on both pages for a taken slot, spending neither the link nor a contact', async () => {
    const first = await postJson('/c/one-path', { name: 'First Comer', email: 'first@example.com', start: starts[4] });
    expect(first.status).toBe(201);
    const link = await api.mintLink(calendar.id);
    const byLink = await postJson(bookPath(link.url), {
      name: 'Second Comer',
      email: 'second@example.com',
      start: starts[4],
    });
    expect(byLink.status).toBe(409);
    expect(byLink.body.error.code).toBe('slot_unavailable');
    const byPage = await postJson(`/c/${calendar.id}`, {
      name: 'Third Comer',
      email: 'third@example.com',
      start: starts[4],
    });
    expect(byPage.status).toBe(409);
    expect(byPage.body.error.code).toBe('slot_unavailable');
    expect(await api.link(link.id)).toMatchObject({ status: 'active', uses: 0 });
    expect([...(await contactsNamed('second@example.com')), ...(await contactsNamed('third@example.com'))]).toEqual([]);
  });
});
