import type { ActionDefinition } from '../../../src/actions/action';
import { addTagAction } from '../../../src/actions/add-tag';
import { removeTagAction } from '../../../src/actions/remove-tag';
import { updateContactAction } from '../../../src/actions/update-contact';
import type { Contact } from '../../../src/contacts/contact-schema';
import { NonRetryableError } from '../../../src/lib/step-errors';
import { outboxFor, apiClient } from '../http/http-helpers';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { actionContext } from '../../unit/actions/action-context';
import { statementsOf as statementsSent } from '../../helpers/statement-watch';

/**
 * The contact writes of a run's hot path (POST /contacts, add_tag, remove_tag, update_contact),
 * counted at the wire: each is one statement that writes the change and its events, with no
 * BEGIN/COMMIT around it. The API key's look-up is not the write's and is left out.
 */
describe('contact writes in one statement each', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let accountId: string;
  let apiKey: string;
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    ({ accountId, apiKey } = await createTestAccount(env.container));
  });
  afterAll(() => env.cleanup());

  /** The statements `work` sends (pg's Client.query wrapped, as the bench's probe does), minus API-key look-ups. */
  async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
    const { result, sent } = await statementsSent(work);
    return { result, sent: sent.filter((sql) => !/\bapi_keys\b/.test(sql)) };
  }

  const createOverHttp = (body: Record<string, unknown>) => api.as(apiKey).post('/api/v1/contacts').send(body);

  function runAction(action: ActionDefinition, input: unknown, contactId: string, reported: Contact[] = []) {
    const ctx = actionContext({
      config: action.configSchema.parse(input),
      deps: { db: env.container.db, config: env.config },
      accountId,
      contactId,
    });
    return action.execute({ ...ctx, contactChanged: (contact) => reported.push(contact as Contact) });
  }

  const stored = async (id: string) =>
    (
      await env.container.db.query(
        'SELECT email, phone, first_name, last_name, tags, custom_fields, dnd, updated_at FROM contacts WHERE id = $1',
        [id],
      )
    )[0];

  it('creates a contact over HTTP with one statement that also writes contact.created and its tag_added events', async () => {
    const { result: res, sent } = await statementsOf(() =>
      createOverHttp({ email: 'one@example.com', tags: ['Trigger', 'vip', 'trigger'] }),
    );
    expect(res.status).toBe(201);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^WITH w AS MATERIALIZED .* INSERT INTO contacts .* INSERT INTO outbox_events /);
    expect(res.body.tags).toEqual(['trigger', 'vip']);
    expect(res.headers.location).toBe(`/api/v1/contacts/${res.body.id}`);
    const events = await outboxFor(env.container, res.body.id);
    expect(events.map((event) => [event.type, event.data, event.account_id])).toEqual([
      ['contact.created', {}, accountId],
      ['contact.tag_added', { tag: 'trigger' }, accountId],
      ['contact.tag_added', { tag: 'vip' }, accountId],
    ]);
  });

  it('answers a duplicate email with the same 409 naming the existing contact, writing no event', async () => {
    const first = await createOverHttp({ email: 'dup@example.com', tags: ['a'] });
    const before: unknown[] = await env.container.db.query('SELECT id FROM outbox_events');
    const { result: clash, sent } = await statementsOf(() => createOverHttp({ email: 'DUP@example.com', tags: ['b'] }));
    expect(clash.status).toBe(409);
    expect(clash.body).toEqual({
      error: { code: 'conflict', message: 'A contact with this email already exists', existingId: first.body.id },
    });
    expect(sent).toHaveLength(2); // the insert that did nothing, then the look-up of the existing contact
    expect(await env.container.db.query('SELECT id FROM outbox_events')).toHaveLength(before.length);
  });

  it('adds a tag in one statement, emitting tag_added only when the tag is new, and reports the contact', async () => {
    const { body: created } = await createOverHttp({ email: 'tagged@example.com' });
    const reported: Contact[] = [];
    const first = await statementsOf(() => runAction(addTagAction, { tag: 'Paid' }, created.id, reported));
    expect(first.result).toEqual({ kind: 'completed', output: { tag: 'paid', added: true } });
    expect(first.sent).toHaveLength(1);
    const afterFirst = await stored(created.id);
    expect(reported).toEqual([
      { ...created, tags: ['paid'], updatedAt: (afterFirst.updated_at as Date).toISOString() },
    ]);

    const again = await statementsOf(() => runAction(addTagAction, { tag: 'paid' }, created.id, reported));
    expect(again.result).toEqual({ kind: 'completed', output: { tag: 'paid', added: false } });
    expect(again.sent).toHaveLength(1);
    expect(await stored(created.id)).toEqual(afterFirst); // not even updated_at moved
    expect(reported[1]).toEqual(reported[0]);
    const tagEvents = (await outboxFor(env.container, created.id)).filter((e) => e.type === 'contact.tag_added');
    expect(tagEvents.map((event) => event.data)).toEqual([{ tag: 'paid' }]);
  });

  it('removes a tag in one statement, and says in one statement when the contact did not have it', async () => {
    const { body: created } = await createOverHttp({ email: 'untag@example.com', tags: ['vip', 'lead'] });
    const reported: Contact[] = [];
    const removed = await statementsOf(() => runAction(removeTagAction, { tag: 'VIP' }, created.id, reported));
    expect(removed.result).toEqual({ kind: 'completed', output: { tag: 'vip', removed: true } });
    expect(removed.sent).toHaveLength(1);
    expect(reported[0]!.tags).toEqual(['lead']);
    const absent = await statementsOf(() => runAction(removeTagAction, { tag: 'vip' }, created.id, reported));
    expect(absent.result).toEqual({ kind: 'completed', output: { tag: 'vip', removed: false } });
    expect(absent.sent).toHaveLength(1);
    expect((await stored(created.id)).tags).toEqual(['lead']);
    expect((await outboxFor(env.container, created.id)).map((event) => event.type)).toEqual([
      'contact.created',
      'contact.tag_added',
      'contact.tag_added',
    ]);
  });

  it('updates a contact in one statement: given fields replaced, others kept, custom fields merged', async () => {
    const { body: created } = await createOverHttp({
      email: 'fields@example.com',
      firstName: 'Ada',
      lastName: 'King',
      phone: '+442071234567',
      customFields: { plan: 'free', seats: 1 },
    });
    const reported: Contact[] = [];
    const { result, sent } = await statementsOf(() =>
      runAction(
        updateContactAction,
        {
          set: { lastName: 'Lovelace', phone: null, dnd: 'true', 'customFields.plan': 'pro', 'customFields.vip': true },
        },
        created.id,
        reported,
      ),
    );
    expect(result.kind).toBe('completed');
    expect(sent).toHaveLength(1);
    const row = await stored(created.id);
    expect(row).toMatchObject({
      email: 'fields@example.com',
      phone: null,
      first_name: 'Ada',
      last_name: 'Lovelace',
      dnd: true,
      tags: [],
      custom_fields: { plan: 'pro', seats: 1, vip: true },
    });
    expect(reported).toEqual([
      {
        ...created,
        phone: null,
        lastName: 'Lovelace',
        dnd: true,
        customFields: { plan: 'pro', seats: 1, vip: true },
        updatedAt: (row.updated_at as Date).toISOString(),
      },
    ]);
    expect((await outboxFor(env.container, created.id)).map((event) => event.type)).toEqual(['contact.created']);
  });

  it('fails update_contact without retry on an email another contact has, changing nothing', async () => {
    const { body: other } = await createOverHttp({ email: 'taken@example.com' });
    const { body: mine } = await createOverHttp({ email: 'mine@example.com', firstName: 'Ada' });
    const before = await stored(mine.id);
    const error = await runAction(
      updateContactAction,
      { set: { firstName: 'Bo', email: 'TAKEN@example.com' } },
      mine.id,
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toBe('A contact with this email already exists');
    expect(await stored(mine.id)).toEqual(before);
    expect(other.id).not.toBe(mine.id);
  });

  it('fails update_contact without retry when the contact would keep neither email nor phone, or is gone', async () => {
    const { body: created } = await createOverHttp({ email: 'only-email@example.com', firstName: 'Ada' });
    const before = await stored(created.id);
    const cleared = await runAction(updateContactAction, { set: { email: null, firstName: 'Bo' } }, created.id)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(cleared).toBeInstanceOf(NonRetryableError);
    expect((cleared as Error).message).toBe('A contact needs an email or a phone');
    expect(await stored(created.id)).toEqual(before);

    const gone = await runAction(
      updateContactAction,
      { set: { firstName: 'X' } },
      '00000000-0000-4000-8000-000000000000',
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NonRetryableError);
    expect((gone as Error).message).toMatch(/Contact/);
  });
});
