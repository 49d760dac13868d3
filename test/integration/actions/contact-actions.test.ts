import type { ActionDefinition } from '../../../src/actions/action';
import { addTagAction } from '../../../src/actions/add-tag';
import { removeTagAction } from '../../../src/actions/remove-tag';
import { updateContactAction } from '../../../src/actions/update-contact';
import { createContact, getContact } from '../../../src/contacts/contact-service';
import { NonRetryableError } from '../../../src/lib/step-errors';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { actionContext } from '../../unit/actions/action-context';

describe('actions that change a contact', () => {
  let env: TestEnv;
  let accountId: string;
  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(() => env.cleanup());

  const newContact = () =>
    env.container.db.transaction((tx) =>
      createContact(tx, accountId, { email: `${Math.random()}@example.com`, firstName: 'Ada' }),
    );

  function run(action: ActionDefinition, input: unknown, contactId: string, data: Record<string, unknown> = {}) {
    const ctx = actionContext({
      config: action.configSchema.parse(input),
      context: { trigger: { type: 'manual', data } },
      deps: { db: env.container.db, config: env.config },
      accountId,
      contactId,
    });
    return action.execute(ctx);
  }

  const tagEvents = async (contactId: string): Promise<unknown[]> => {
    const rows: { data: { tag: string } }[] = await env.container.db.query(
      `SELECT data FROM outbox_events WHERE contact_id = $1 AND type = 'contact.tag_added' ORDER BY id`,
      [contactId],
    );
    return rows.map((row) => row.data.tag);
  };
  const contact = (contactId: string) => env.container.db.transaction((tx) => getContact(tx, accountId, contactId));

  it('add_tag tags the contact with the rendered tag and records contact.tag_added once', async () => {
    const { id } = await newContact();
    expect(await run(addTagAction, { tag: 'Plan-{{trigger.data.plan}}' }, id, { plan: 'PRO' })).toEqual({
      kind: 'completed',
      output: { tag: 'plan-pro', added: true },
    });
    expect(await run(addTagAction, { tag: 'plan-pro' }, id)).toEqual({
      kind: 'completed',
      output: { tag: 'plan-pro', added: false },
    });
    expect((await contact(id)).tags).toEqual(['plan-pro']);
    expect(await tagEvents(id)).toEqual(['plan-pro']);
  });

  it('add_tag fails without retry when the tag renders empty', async () => {
    const { id } = await newContact();
    await expect(run(addTagAction, { tag: '{{trigger.data.none}}' }, id)).rejects.toBeInstanceOf(NonRetryableError);
  });

  it('remove_tag removes a tag the contact has, and says when it had none', async () => {
    const { id } = await newContact();
    await run(addTagAction, { tag: 'vip' }, id);
    await run(addTagAction, { tag: 'lead' }, id);
    expect(await run(removeTagAction, { tag: 'VIP' }, id)).toEqual({
      kind: 'completed',
      output: { tag: 'vip', removed: true },
    });
    expect(await run(removeTagAction, { tag: 'vip' }, id)).toEqual({
      kind: 'completed',
      output: { tag: 'vip', removed: false },
    });
    expect((await contact(id)).tags).toEqual(['lead']);
  });

  it('update_contact sets rendered fields and merges custom fields', async () => {
    const { id } = await newContact();
    const outcome = await run(
      updateContactAction,
      {
        set: {
          lastName: '{{trigger.data.last}}',
          timezone: 'Europe/Paris',
          dnd: '{{trigger.data.optedOut}}',
          'customFields.plan': '{{trigger.data.plan}}',
          'customFields.seats': 5,
        },
      },
      id,
      { last: 'Lovelace', optedOut: true, plan: 'pro' },
    );
    const updated = {
      lastName: 'Lovelace',
      timezone: 'Europe/Paris',
      dnd: true,
      'customFields.plan': 'pro',
      'customFields.seats': 5,
    };
    expect(outcome).toEqual({ kind: 'completed', output: { updated } });
    const rows: Record<string, unknown>[] = await env.container.db.query(
      'SELECT first_name, last_name, timezone, dnd, custom_fields FROM contacts WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
      timezone: 'Europe/Paris',
      dnd: true,
      custom_fields: { plan: 'pro', seats: 5 },
    });
  });

  it('update_contact fails without retry on a value the contact service refuses, changing nothing', async () => {
    const { id, email } = await newContact();
    const error = await run(updateContactAction, { set: { firstName: 'Bo', email: '{{trigger.data.email}}' } }, id, {
      email: 'not-an-email',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toMatch(/^email: /);
    expect(await contact(id)).toMatchObject({ firstName: 'Ada', email });
  });

  it('fails without retry when the contact is gone', async () => {
    await expect(run(addTagAction, { tag: 'vip' }, '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      NonRetryableError,
    );
  });
});
