import request from 'supertest';
import { loadTemplates } from '../../../src/messaging/template-store';
import { createApp } from '../../../src/roles/http-app';
import { addContact } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { templatesDir } from '../messaging/messaging-helpers';

describe("the builder's pickers", () => {
  let env: TestEnv;
  let accountId: string;
  let auth: { Authorization: string };
  let folder: Awaited<ReturnType<typeof templatesDir>>;
  const get = async (path: string) => (await request(createApp(env.container)).get(path).set(auth).expect(200)).body;

  beforeAll(async () => {
    folder = await templatesDir({
      'invite.email.hbs': '---\nsubject: Book a call\nlayout: false\n---\n<p>Hi</p>',
      'broken.email.hbs': '---\nsubject: Broken\nlayout: false\n---\n<p>{{#if}}</p>',
      'nudge.sms.hbs': 'Book: {{contact.customFields.url}}',
    });
    await loadTemplates(folder.dir);
    env = await createTestEnv();
    let apiKey: string;
    ({ accountId, apiKey } = await createTestAccount(env.container));
    auth = { Authorization: `Bearer ${apiKey}` };
  });
  afterAll(async () => {
    await env.cleanup();
    await folder.remove();
  });

  it('lists the usable templates by channel, emails with their subject', async () => {
    expect(await get('/api/v1/templates')).toEqual({
      items: [
        { name: 'invite', channel: 'email', subject: 'Book a call' },
        { name: 'nudge', channel: 'sms' },
      ],
    });
  });

  it("suggests the account's distinct tags and custom field names, sorted, and no other account's", async () => {
    await addContact(env.container, accountId, {
      email: 'a@example.com',
      tags: ['vip', 'lead'],
      customFields: { plan: 'pro' },
    });
    await addContact(env.container, accountId, { email: 'b@example.com', tags: ['lead'], customFields: { cal: 'x' } });
    const other = await createTestAccount(env.container);
    await addContact(env.container, other.accountId, {
      email: 'c@example.com',
      tags: ['secret'],
      customFields: { hidden: 1 },
    });
    expect(await get('/api/v1/tags')).toEqual({ items: ['lead', 'vip'] });
    const fields = await get('/api/v1/contact-fields');
    expect(fields.custom).toEqual([{ name: 'cal' }, { name: 'plan' }]);
    expect(fields.builtIn.map((field: { name: string }) => field.name)).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'email', 'phone', 'timezone', 'dnd', 'tags']),
    );
  });

  it('needs a key or a session', async () => {
    for (const path of ['/api/v1/templates', '/api/v1/tags', '/api/v1/contact-fields'])
      expect((await request(createApp(env.container)).get(path)).status).toBe(401);
  });
});
