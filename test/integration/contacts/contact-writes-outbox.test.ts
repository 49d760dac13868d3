import { Client } from 'pg';
import { addTags, createContact, removeTag, setContactFields } from '../../../src/contacts/contact-service';
import { contactCreatedEvents } from '../../../src/contacts/contact-events';
import { addContactTags, insertContactWithEvents } from '../../../src/contacts/contact-write-store';
import { onLane } from '../../../src/events/event-lane';
import { ConflictError } from '../../../src/lib/errors';
import { OUTBOX_CHANNEL } from '../../../src/events/outbox-signal';
import type { RunLane } from '../../../src/queue/run-lanes';
import { outboxFor } from '../http/http-helpers';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

/**
 * The outbox promise of the one-statement contact writes: an event is written exactly when its
 * change is, in the same statement, so a failed or rolled-back write leaves neither; the relay is
 * woken by the statement's own notification.
 */
describe('contact writes and their outbox events', () => {
  let env: TestEnv;
  let accountId: string;
  let listener: Client;
  const notifications: string[] = [];
  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    listener = new Client({ connectionString: env.config.DATABASE_URL });
    await listener.connect();
    listener.on('notification', (message) => notifications.push(message.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await env.cleanup();
  });

  const db = () => env.container.db.manager;
  const newContact = (email: string, tags: string[] = []) => createContact(db(), accountId, { email, tags });
  const tagsOf = async (id: string): Promise<string[]> =>
    (await env.container.db.query('SELECT tags FROM contacts WHERE id = $1', [id]))[0].tags;
  const tagEvents = async (id: string) =>
    (await outboxFor(env.container, id)).filter((event) => event.type === 'contact.tag_added').map((e) => e.data.tag);
  const allEvents = async (): Promise<number> =>
    Number((await env.container.db.query('SELECT count(*) AS n FROM outbox_events'))[0].n);

  it('adds a tag that ten concurrent calls add exactly once, with exactly one tag_added', async () => {
    const contact = await newContact('race-tag@example.com');
    const results = await Promise.all(Array.from({ length: 10 }, () => addTags(db(), accountId, contact.id, ['hot'])));
    expect(results.filter((result) => result.added.length > 0)).toHaveLength(1);
    expect(results.every((result) => result.contact.tags.includes('hot'))).toBe(true);
    expect(await tagsOf(contact.id)).toEqual(['hot']);
    expect(await tagEvents(contact.id)).toEqual(['hot']);
  });

  it('keeps every tag of concurrent calls adding different ones, each with its own event', async () => {
    const contact = await newContact('many-tags@example.com');
    const tags = Array.from({ length: 8 }, (_, i) => `t${i}`);
    await Promise.all(tags.map((tag) => addTags(db(), accountId, contact.id, [tag, 'shared'])));
    expect([...(await tagsOf(contact.id))].sort()).toEqual([...tags, 'shared'].sort());
    expect([...(await tagEvents(contact.id))].sort()).toEqual([...tags, 'shared'].sort());
  });

  it('writes the events of the tags really added only, in the order given', async () => {
    const contact = await newContact('order@example.com', ['b']);
    const { added, contact: after } = await addTags(db(), accountId, contact.id, ['c', 'B', 'a']);
    expect(added).toEqual(['c', 'a']);
    expect(after.tags).toEqual(['b', 'c', 'a']);
    expect(await tagEvents(contact.id)).toEqual(['b', 'c', 'a']);
  });

  it('leaves no event and no change when the transaction around a write rolls back', async () => {
    const contact = await newContact('rollback@example.com', ['kept']);
    const before = await allEvents();
    const abort = new Error('abort');
    await expect(
      env.container.db.transaction(async (tx) => {
        await createContact(tx, accountId, { email: 'rolled-back@example.com', tags: ['ghost'] });
        await addTags(tx, accountId, contact.id, ['ghost']);
        await removeTag(tx, accountId, contact.id, 'kept');
        await setContactFields(tx, accountId, contact.id, { firstName: 'Ghost', 'customFields.x': 1 });
        throw abort;
      }),
    ).rejects.toBe(abort);
    expect(await allEvents()).toBe(before);
    expect(await env.container.db.query("SELECT 1 FROM contacts WHERE email = 'rolled-back@example.com'")).toEqual([]);
    expect(
      await env.container.db.query('SELECT tags, first_name, custom_fields FROM contacts WHERE id = $1', [contact.id]),
    ).toEqual([{ tags: ['kept'], first_name: null, custom_fields: {} }]);
  });

  it('writes neither the contact nor any event when the statement fails at its outbox insert', async () => {
    const before = await allEvents();
    const failing = insertContactWithEvents(db(), {
      accountId,
      fields: {
        email: 'half@example.com',
        phone: null,
        firstName: null,
        lastName: null,
        timezone: null,
        tags: ['x'],
        customFields: {},
        dnd: false,
      },
      events: contactCreatedEvents(['x']),
      lane: 'no-such-lane' as RunLane, // refused by outbox_events_lane_check, after the contact's insert
    });
    await expect(failing).rejects.toMatchObject({ driverError: { code: '23514' } });
    expect(await env.container.db.query("SELECT 1 FROM contacts WHERE email = 'half@example.com'")).toEqual([]);
    expect(await allEvents()).toBe(before);
  });

  it('adds no tag when the statement fails at its outbox insert', async () => {
    const contact = await newContact('half-tag@example.com', ['a']);
    const failing = addContactTags(db(), {
      accountId,
      contactId: contact.id,
      tags: ['b'],
      lane: 'no-such-lane' as RunLane,
    });
    await expect(failing).rejects.toMatchObject({ driverError: { code: '23514' } });
    expect(await tagsOf(contact.id)).toEqual(['a']);
    expect(await tagEvents(contact.id)).toEqual(['a']);
  });

  it("maps a taken email to the 409 inside a caller's transaction and leaves that transaction usable", async () => {
    const taken = await newContact('taken-in-tx@example.com');
    const mine = await newContact('mine-in-tx@example.com');
    await env.container.db.transaction(async (tx) => {
      const error = await setContactFields(tx, accountId, mine.id, { email: 'TAKEN-in-tx@example.com' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).details).toEqual({ existingId: taken.id });
      await setContactFields(tx, accountId, mine.id, { firstName: 'Still' });
    });
    expect(await env.container.db.query('SELECT email, first_name FROM contacts WHERE id = $1', [mine.id])).toEqual([
      { email: 'mine-in-tx@example.com', first_name: 'Still' },
    ]);
  });

  it('wakes the relay from the statement that writes events, and writes them on the lane of the work', async () => {
    notifications.length = 0;
    const contact = await onLane('campaign', () => newContact('lane@example.com', ['one']));
    await waitFor(() => notifications.length > 0, { what: 'the notification of the created contact' });
    notifications.length = 0;
    await onLane('campaign', () => addTags(db(), accountId, contact.id, ['two']));
    await waitFor(() => notifications.length > 0, { what: 'the notification of the added tag' });
    const lanes: { type: string; lane: string }[] = await env.container.db.query(
      'SELECT type, lane FROM outbox_events WHERE contact_id = $1 ORDER BY id',
      [contact.id],
    );
    expect(lanes).toEqual([
      { type: 'contact.created', lane: 'campaign' },
      { type: 'contact.tag_added', lane: 'campaign' },
      { type: 'contact.tag_added', lane: 'campaign' },
    ]);
  });
});
