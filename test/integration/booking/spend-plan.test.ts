import request from 'supertest';
import { addContact } from '../../helpers/engine';
import { genericPlanOf, planNodesOf, recordStatements, type RecordedStatement } from '../../helpers/query-plans';
import { bookPath, insertLinks, startBookingFixture, type BookingFixture } from './booking-helpers';

/**
 * The booking statement's generic plan (it is prepared, and planned once per connection) must find
 * each link by its key, whatever the statistics say. Seen in the bench: after the statistics were
 * taken while no link was active, thousands of links were minted (a campaign's, a bench's), and the
 * generic plan read every active link through the partial index of active links
 * (`one_time_links_expiring`, estimated at a few rows) and hashed them: 30 ms per booking statement
 * instead of under one, until the next ANALYZE.
 */
describe('the plan of the booking statement, with statistics taken before a burst of minting', () => {
  let booking: BookingFixture;

  beforeAll(async () => {
    booking = await startBookingFixture({ slug: 'plan', durationMinutes: 30 });
  });
  afterAll(() => booking.close());

  it('spends links found by key, not by a scan of the active ones', async () => {
    const { env, http, api, accountId, calendarId } = booking;
    const db = env.container.db;
    const contact = await addContact(env.container, accountId, { email: 'plan@example.com' });
    const ofContact = { accountId, calendarId, contactId: contact.id };
    // Statistics taken while every link is spent: "no link is active".
    await insertLinks(db, { ...ofContact, status: 'used', count: 2000 });
    await db.query('ANALYZE one_time_links');
    // Then a burst of minting, with no ANALYZE since.
    await insertLinks(db, { ...ofContact, status: 'active', count: 5000 });

    const link = await api.mintLink(calendarId, { contactId: contact.id });
    const start = (await api.slots(calendarId))[0]!.start;
    const recording = recordStatements(db);
    let spend: RecordedStatement | undefined;
    try {
      await request(http.server).post(bookPath(link.url)).set('Accept', 'application/json').send({ start }).expect(201);
      spend = recording.statements.find((statement) => /UPDATE one_time_links/.test(statement.sql));
    } finally {
      recording.stop();
    }
    expect(spend).toBeDefined();

    const nodes = planNodesOf(await genericPlanOf(db, spend!));
    // How the statement reads one_time_links (the UPDATE's own node names the table too).
    const links = nodes.filter(
      (node) => node['Relation Name'] === 'one_time_links' && node['Node Type'] !== 'ModifyTable',
    );
    expect(links.length).toBeGreaterThan(0);
    // Each link by its primary key or its token's hash: an index scan, not a bitmap of the active ones.
    expect(nodes.filter((node) => node['Index Name'] === 'one_time_links_expiring')).toEqual([]);
    for (const node of links) {
      expect(node['Node Type']).toMatch(/^Index (Only )?Scan$/);
      expect(node['Index Name']).toMatch(/^(one_time_links_pkey|.*token_hash.*)$/);
    }
  });
});
