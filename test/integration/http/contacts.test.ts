import { createContact, setContactFields, updateContact } from '../../../src/contacts/contact-service';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/lib/errors';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient, outboxFor } from './http-helpers';

describe('contacts over the API', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let accountId: string;
  let apiKey: string;
  const client = () => api.as(apiKey);
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    ({ accountId, apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => env.cleanup());

  it('creates a contact with normalised tags and emits contact.created and one tag_added per tag', async () => {
    const res = await client()
      .post('/api/v1/contacts')
      .send({
        email: 'Ada@Example.com',
        firstName: ' Ada ',
        tags: [' Lead', 'VIP', 'lead'],
        customFields: { plan: 'pro', seats: 3 },
      });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: 'Ada@Example.com',
      phone: null,
      firstName: 'Ada',
      lastName: null,
      timezone: null,
      tags: ['lead', 'vip'],
      customFields: { plan: 'pro', seats: 3 },
      dnd: false,
      unsubscribedFromEmail: false,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const events = await outboxFor(env.container, res.body.id);
    expect(events.map((e) => [e.type, e.data, e.account_id])).toEqual([
      ['contact.created', {}, accountId],
      ['contact.tag_added', { tag: 'lead' }, accountId],
      ['contact.tag_added', { tag: 'vip' }, accountId],
    ]);
    expect((await client().get(`/api/v1/contacts/${res.body.id}`)).body).toEqual(res.body);
  });

  it('answers a duplicate email, whatever its case, with 409 conflict naming the existing contact', async () => {
    const first = await client().post('/api/v1/contacts').send({ email: 'grace@example.com' });
    const again = await client().post('/api/v1/contacts').send({ email: 'GRACE@example.COM' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', existingId: first.body.id });

    const other = await client().post('/api/v1/contacts').send({ email: 'other@example.com' });
    const clash = await client().patch(`/api/v1/contacts/${other.body.id}`).send({ email: 'Grace@Example.com' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'conflict', existingId: first.body.id });
  });

  it('lets exactly one of two concurrent creations of the same email through', async () => {
    const results = await Promise.all(
      ['race@example.com', 'RACE@example.com'].map((email) => client().post('/api/v1/contacts').send({ email })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results.find((r) => r.status === 201)!;
    expect(results.find((r) => r.status === 409)!.body.error.existingId).toBe(winner.body.id);
  });

  it('makes a creation that waited on an uncommitted twin a ConflictError once the twin commits', async () => {
    let releaseFirst!: () => void;
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    const first = env.container.db.transaction(async (tx) => {
      const contact = await createContact(tx, accountId, { email: 'twin@example.com' });
      firstInserted();
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      return contact;
    });
    await inserted;
    const second = env.container.db
      .transaction((tx) => createContact(tx, accountId, { email: 'TWIN@example.com' }))
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the second INSERT is now waiting on the first
    releaseFirst();
    const winner = await first;
    const loser = await second;
    expect(loser).toBeInstanceOf(ConflictError);
    expect((loser as ConflictError).details).toEqual({ existingId: winner.id });
  });

  it('lets exactly one of two concurrent email changes to the same address through', async () => {
    const [a, b] = await Promise.all(
      ['swap-a@example.com', 'swap-b@example.com'].map((email) => client().post('/api/v1/contacts').send({ email })),
    );
    const results = await Promise.all(
      [a!, b!].map((c) => client().patch(`/api/v1/contacts/${c.body.id}`).send({ email: 'taken@example.com' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('adds tags once: re-adding an existing tag emits nothing', async () => {
    const created = await client()
      .post('/api/v1/contacts')
      .send({ phone: '+442071234567', tags: ['lead'] });
    const id = created.body.id as string;
    const added = await client()
      .post(`/api/v1/contacts/${id}/tags`)
      .send({ tags: ['LEAD', 'Customer'] });
    expect(added.status).toBe(200);
    expect(added.body.tags).toEqual(['lead', 'customer']);
    const readded = await client()
      .post(`/api/v1/contacts/${id}/tags`)
      .send({ tags: ['customer'] });
    expect(readded.status).toBe(200);
    const tagEvents = (await outboxFor(env.container, id)).filter((e) => e.type === 'contact.tag_added');
    expect(tagEvents.map((e) => e.data.tag)).toEqual(['lead', 'customer']);

    const removed = await client().delete(`/api/v1/contacts/${id}/tags/Lead`);
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual(['customer']);
    expect((await client().delete(`/api/v1/contacts/${id}/tags/lead`)).status).toBe(200);
    const empty = await client().post(`/api/v1/contacts/${id}/tags`).send({ tags: [] });
    expect(empty.status).toBe(400);
  });

  it('emits tag_added once when the same tag is added concurrently', async () => {
    const created = await client().post('/api/v1/contacts').send({ email: 'concurrent-tags@example.com' });
    const id = created.body.id as string;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        client()
          .post(`/api/v1/contacts/${id}/tags`)
          .send({ tags: ['hot'] }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const tagEvents = (await outboxFor(env.container, id)).filter((e) => e.type === 'contact.tag_added');
    expect(tagEvents).toHaveLength(1);
  });

  it('patches fields, replaces the tag set and emits tag_added only for new tags', async () => {
    const created = await client()
      .post('/api/v1/contacts')
      .send({ email: 'pat@example.com', tags: ['a', 'b'] });
    const id = created.body.id as string;
    const res = await client()
      .patch(`/api/v1/contacts/${id}`)
      .send({ lastName: 'Smith', timezone: 'America/New_York', dnd: true, tags: ['B', 'c'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email: 'pat@example.com',
      lastName: 'Smith',
      timezone: 'America/New_York',
      dnd: true,
      tags: ['b', 'c'],
    });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));
    const tagEvents = (await outboxFor(env.container, id)).filter((e) => e.type === 'contact.tag_added');
    expect(tagEvents.map((e) => e.data.tag)).toEqual(['a', 'b', 'c']);
  });

  it('leaves no contact and no outbox row behind when the transaction rolls back', async () => {
    await expect(
      env.container.db.transaction(async (tx) => {
        await createContact(tx, accountId, { email: 'ghost@example.com', tags: ['ghost'] });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const contacts: unknown[] = await env.container.db.query(
      "SELECT 1 FROM contacts WHERE email = 'ghost@example.com'",
    );
    const events: unknown[] = await env.container.db.query(
      "SELECT 1 FROM outbox_events WHERE data->>'tag' = 'ghost' OR contact_id NOT IN (SELECT id FROM contacts)",
    );
    expect(contacts).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('sets fields for the update_contact action, merging custom fields and validating like the API', async () => {
    const created = await client()
      .post('/api/v1/contacts')
      .send({ email: 'set@example.com', customFields: { plan: 'free', seats: 1 } });
    const id = created.body.id as string;
    const updated = await env.container.db.transaction((tx) =>
      setContactFields(tx, accountId, id, { firstName: 'Set', 'customFields.plan': 'pro', 'customFields.vip': true }),
    );
    expect(updated).toMatchObject({ firstName: 'Set', customFields: { plan: 'pro', seats: 1, vip: true } });

    const bad = env.container.db.transaction((tx) =>
      setContactFields(tx, accountId, id, { email: 'nope', tags: ['x'] }),
    );
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    const issues = await bad.catch((error: ValidationError) => error.issues.map((i) => i.path).sort());
    expect(issues).toEqual(['email', 'tags']);

    const unknownId = '11111111-1111-4111-8111-111111111111';
    const missing = env.container.db.transaction((tx) =>
      setContactFields(tx, accountId, unknownId, { firstName: 'X' }),
    );
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
  });

  it('maps a duplicate email through the service to ConflictError, leaving the transaction usable', async () => {
    const taken = await client().post('/api/v1/contacts').send({ email: 'svc@example.com' });
    const mine = await client().post('/api/v1/contacts').send({ email: 'svc2@example.com' });
    await env.container.db.transaction(async (tx) => {
      const error = await updateContact(tx, accountId, mine.body.id, { email: 'SVC@example.com' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).details).toEqual({ existingId: taken.body.id });
      const rows: unknown[] = await tx.query('SELECT 1');
      expect(rows).toHaveLength(1);
    });
  });
});
