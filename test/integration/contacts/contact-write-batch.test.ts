import { addTags, createContact, setContactFields } from '../../../src/contacts/contact-service';
import { insertContacts } from '../../../src/contacts/contact-batch-store';
import { createContactWriteBatch, type ContactWriteBatch } from '../../../src/contacts/contact-write-batch';
import { onLane } from '../../../src/events/event-lane';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/lib/errors';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The group commit of contact writes (src/contacts/contact-write-batch.ts): concurrent new contacts
 * (POST /contacts), add_tag and update_contact writes of many contacts go in one statement each, and each is answered
 * as its one-row statement would answer it (the contact as changed, the tags added, the events on
 * the write's lane, the same errors).
 */
describe('the group commit of contact writes', () => {
  let env: TestEnv;
  let accountId: string;
  let otherAccount: string;
  let batch: ContactWriteBatch;
  let made = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    ({ accountId: otherAccount } = await createTestAccount(env.container));
    batch = createContactWriteBatch(env.container.db);
  });
  afterAll(async () => {
    await batch.drain();
    await env.cleanup();
  });

  const db = () => env.container.db.manager;
  const newContact = (tags: string[] = [], fields: Record<string, unknown> = {}) =>
    createContact(db(), accountId, { email: `batch-${++made}@example.com`, tags, ...fields });
  const stored = async (id: string) =>
    (
      await env.container.db.query(
        'SELECT tags, email, phone, first_name, dnd, custom_fields FROM contacts WHERE id = $1',
        [id],
      )
    )[0];
  const tagEvents = async (id: string): Promise<[string, string][]> =>
    (
      await env.container.db.query(
        `SELECT data->>'tag' AS tag, lane FROM outbox_events WHERE contact_id = $1 AND type = 'contact.tag_added' ORDER BY id`,
        [id],
      )
    ).map((event: { tag: string; lane: string }) => [event.tag, event.lane]);
  const batches = (sent: string[], prefix: string) => sent.filter((sql) => sql.includes(prefix)).length;

  it("tags many contacts in one statement, each answered and evented as alone, on its write's lane", async () => {
    const fresh = await Promise.all([newContact(['old']), newContact(), newContact()]);
    const already = await newContact(['hot']);
    const { result, sent } = await statementsOf(() =>
      Promise.all([
        ...fresh.map((contact, i) =>
          i === 2
            ? onLane('campaign', () => addTags(db(), accountId, contact.id, ['hot', 'Cold'], { batch }))
            : addTags(db(), accountId, contact.id, ['hot'], { batch }),
        ),
        addTags(db(), accountId, already.id, ['hot'], { batch }),
      ]),
    );
    expect(sent.filter((sql) => /contacts/.test(sql))).toHaveLength(1);
    expect(batches(sent, 'jsonb_array_elements_text(cur.wanted)')).toBe(1);

    expect(result.map((answer) => answer.added)).toEqual([['hot'], ['hot'], ['hot', 'cold'], []]);
    expect(result.map((answer) => answer.contact.tags)).toEqual([['old', 'hot'], ['hot'], ['hot', 'cold'], ['hot']]);
    expect(result[0]!.contact.id).toBe(fresh[0]!.id);
    expect(result[3]!.contact.id).toBe(already.id);
    expect((await stored(fresh[0]!.id)).tags).toEqual(['old', 'hot']);
    expect(await tagEvents(fresh[0]!.id)).toEqual([
      ['old', 'interactive'],
      ['hot', 'interactive'],
    ]);
    expect(await tagEvents(fresh[2]!.id)).toEqual([
      ['hot', 'campaign'],
      ['cold', 'campaign'],
    ]);
    expect(await tagEvents(already.id)).toEqual([['hot', 'interactive']]);
  });

  it('answers a contact of another account, or none, as not found, and tags the others', async () => {
    const mine = await newContact();
    const theirs = await createContact(db(), otherAccount, { email: 'theirs@example.com' });
    const results = await Promise.allSettled([
      addTags(db(), accountId, mine.id, ['seen'], { batch }),
      addTags(db(), accountId, theirs.id, ['seen'], { batch }),
      addTags(db(), accountId, '00000000-0000-4000-8000-000000000000', ['seen'], { batch }),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { added: ['seen'] } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
    expect(results[2]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
    expect((await stored(theirs.id)).tags).toEqual([]);
  });

  it('adds a tag that ten concurrent batched writes of one contact add exactly once', async () => {
    const contact = await newContact();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => addTags(db(), accountId, contact.id, ['once'], { batch })),
    );
    expect(results.filter((result) => result.added.length > 0)).toHaveLength(1);
    expect((await stored(contact.id)).tags).toEqual(['once']);
    expect(await tagEvents(contact.id)).toEqual([['once', 'interactive']]);
  });

  it('sets many contacts in one statement, keeping what a write does not set and merging custom fields', async () => {
    const first = await newContact([], { firstName: 'Ann', customFields: { plan: 'basic', seats: 2 } });
    const second = await newContact([], { phone: '+14155550100' });
    const { result, sent } = await statementsOf(() =>
      Promise.all([
        setContactFields(db(), accountId, first.id, { lastName: 'Lee', 'customFields.plan': 'pro' }, { batch }),
        setContactFields(db(), accountId, second.id, { email: null, dnd: true, firstName: 'Bo' }, { batch }),
      ]),
    );
    expect(sent.filter((sql) => /contacts/.test(sql))).toHaveLength(1);
    expect(result[0]).toMatchObject({ firstName: 'Ann', lastName: 'Lee', customFields: { plan: 'pro', seats: 2 } });
    expect(result[1]).toMatchObject({ email: null, phone: '+14155550100', dnd: true, firstName: 'Bo' });
    expect(await stored(first.id)).toMatchObject({ first_name: 'Ann', custom_fields: { plan: 'pro', seats: 2 } });
    expect(await stored(second.id)).toMatchObject({ email: null, dnd: true, first_name: 'Bo' });
  });

  it('fails only the write that takes a used email, or would leave neither email nor phone; the others are set', async () => {
    const taken = await newContact();
    const [mine, bare, fine] = await Promise.all([newContact(), newContact(), newContact()]);
    const results = await Promise.allSettled([
      setContactFields(db(), accountId, mine.id, { email: taken.email }, { batch }),
      setContactFields(db(), accountId, bare.id, { email: null }, { batch }),
      setContactFields(db(), accountId, fine.id, { firstName: 'Fine' }, { batch }),
      setContactFields(db(), accountId, '00000000-0000-4000-8000-000000000000', { firstName: 'X' }, { batch }),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
    expect((results[0] as PromiseRejectedResult).reason.details).toEqual({ existingId: taken.id });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(ValidationError) });
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: { firstName: 'Fine' } });
    expect(results[3]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
    expect((await stored(mine.id)).email).toBe(mine.email);
    expect((await stored(bare.id)).email).toBe(bare.email);
    expect((await stored(fine.id)).first_name).toBe('Fine');
  });

  const events = async (id: string): Promise<[string, Record<string, unknown>, string][]> =>
    (
      await env.container.db.query(`SELECT type, data, lane FROM outbox_events WHERE contact_id = $1 ORDER BY id`, [id])
    ).map((event: { type: string; data: Record<string, unknown>; lane: string }) => [
      event.type,
      event.data,
      event.lane,
    ]);

  it('creates many contacts in one statement, each with its events on its lane, answered as alone', async () => {
    const n = ++made;
    const { result, sent } = await statementsOf(() =>
      Promise.all([
        createContact(
          db(),
          accountId,
          { email: `new-${n}-a@example.com`, firstName: 'Ann', tags: ['Lead', 'vip'] },
          { batch },
        ),
        onLane('campaign', () =>
          createContact(db(), accountId, { phone: '+15550100', customFields: { plan: 'pro' }, dnd: true }, { batch }),
        ),
        createContact(db(), otherAccount, { email: `new-${n}-a@example.com`, timezone: 'Europe/Paris' }, { batch }),
      ]),
    );
    expect(batches(sent, 'INSERT INTO contacts')).toBe(1);
    expect(sent.filter((sql) => /contacts/.test(sql))).toHaveLength(1);
    const [ann, phoneOnly, other] = result;
    expect(ann).toMatchObject({ email: `new-${n}-a@example.com`, firstName: 'Ann', tags: ['lead', 'vip'], dnd: false });
    expect(phoneOnly).toMatchObject({
      email: null,
      phone: '+15550100',
      customFields: { plan: 'pro' },
      dnd: true,
      tags: [],
    });
    expect(other).toMatchObject({ email: `new-${n}-a@example.com`, timezone: 'Europe/Paris' });
    expect(new Set([ann!.id, phoneOnly!.id, other!.id]).size).toBe(3);
    expect(await stored(ann!.id)).toMatchObject({ tags: ['lead', 'vip'], first_name: 'Ann' });
    expect(await events(ann!.id)).toEqual([
      ['contact.created', {}, 'interactive'],
      ['contact.tag_added', { tag: 'lead' }, 'interactive'],
      ['contact.tag_added', { tag: 'vip' }, 'interactive'],
    ]);
    expect(await events(phoneOnly!.id)).toEqual([['contact.created', {}, 'campaign']]);
    expect(
      (await env.container.db.query('SELECT account_id FROM contacts WHERE id = $1', [other!.id]))[0].account_id,
    ).toBe(otherAccount);
  });

  it('gives one contact and one 409 for two concurrent creations of one email, and no event for the loser', async () => {
    const email = `twice-${++made}@example.com`;
    const results = await Promise.allSettled([
      createContact(db(), accountId, { email, tags: ['a'] }, { batch }),
      createContact(db(), accountId, { email: email.toUpperCase(), tags: ['b'] }, { batch }),
      createContact(db(), accountId, { email: `fine-${made}@example.com` }, { batch }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const winner = results.slice(0, 2).find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>;
    const loser = results.slice(0, 2).find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    expect(loser.reason.details).toEqual({ existingId: winner.value.id });
    const rows = await env.container.db.query(`SELECT id FROM contacts WHERE account_id = $1 AND lower(email) = $2`, [
      accountId,
      email,
    ]);
    expect(rows).toEqual([{ id: winner.value.id }]);
    expect((await events(winner.value.id)).map(([type]) => type)).toEqual(['contact.created', 'contact.tag_added']);
  });

  it('answers null, with no event, for the second of one email in a single statement, and for an email already there', async () => {
    const email = `one-statement-${++made}@example.com`;
    const taken = await newContact();
    const fields = {
      phone: null,
      firstName: null,
      lastName: null,
      timezone: null,
      tags: [],
      customFields: {},
      dnd: false,
    };
    const write = (address: string) => ({
      accountId,
      fields: { ...fields, email: address },
      events: [{ type: 'contact.created', data: {} }],
      lane: 'interactive' as const,
    });
    const answers = await insertContacts(db(), [write(email), write(email.toUpperCase()), write(taken.email!)]);
    expect(answers[0]).toMatchObject({ email });
    expect(answers.slice(1)).toEqual([null, null]);
    const created = await env.container.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'contact.created' AND contact_id = $1`,
      [answers[0]!.id],
    );
    expect(created).toEqual([{ n: 1 }]);
  });
});
