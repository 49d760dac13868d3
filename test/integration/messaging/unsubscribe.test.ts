import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createApp } from '../../../src/roles/http-app';
import { unsubscribeToken } from '../../../src/messaging/unsubscribe-token';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { messagesOf, runOfContact } from './messaging-helpers';

const PUBLIC_URL = 'https://u.example.test';

describe('unsubscribing from email', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  let first: { id: string };
  let second: { id: string };
  const app = () => request(createApp(env.container));

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL });
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme' }));
    workers = startWorkers(env.container);
    const steps = [{ id: 'mail', type: 'send_email', subject: 'News', html: '<p>News for {{contact.email}}</p>' }];
    first = await addWorkflow(env.container, accountId, {
      id: 'first',
      name: 'First',
      trigger: { type: 'contact.tag_added', tag: 'first' },
      steps,
    });
    second = await addWorkflow(env.container, accountId, {
      id: 'second',
      name: 'Second',
      trigger: { type: 'contact.tag_added', tag: 'second' },
      steps,
    });
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });

  const unsubscribed = async (contactId: string): Promise<boolean> =>
    (await app().get(`/api/v1/contacts/${contactId}`).set('Authorization', `Bearer ${apiKey}`).expect(200)).body
      .unsubscribedFromEmail;

  /** The link of the List-Unsubscribe header of the contact's first email, as a path on our app. */
  async function linkFromEmail(email: string): Promise<string> {
    const contact = await addContact(env.container, accountId, { email, tags: ['first'] });
    await runOfContact(env.container, first.id, contact.id, 'completed');
    const received = sink.accepted.find((mail) => mail.to[0] === email)!;
    const line = received
      .parsed!.headerLines.find((header) => header.key === 'list-unsubscribe')!
      .line.replace(/\r?\n\s+/g, ' ');
    const url = /<([^>]+)>/.exec(line)![1]!;
    expect(received.parsed!.html).toContain(`href="${url}"`);
    expect(url.startsWith(`${PUBLIC_URL}/u/`)).toBe(true);
    return url.slice(PUBLIC_URL.length);
  }

  it('shows a confirmation page on GET without changing anything, unsubscribes on the form POST, then skips later emails', async () => {
    const path = await linkFromEmail('reader@example.com');
    const contactId = (
      await app().get('/api/v1/contacts?email=reader@example.com').set('Authorization', `Bearer ${apiKey}`)
    ).body.items[0].id;

    const page = await app().get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('<form method="post">');
    expect(page.text).toContain('r***@example.com');
    expect(page.text).not.toContain('reader@example.com');
    expect(await unsubscribed(contactId)).toBe(false);

    await app().post(path).type('form').send('').expect(200);
    expect(await unsubscribed(contactId)).toBe(true);
    await app().post(path).type('form').send('').expect(200); // a second click is fine

    const before = sink.received.length;
    await app()
      .post(`/api/v1/contacts/${contactId}/tags`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ tags: ['second'] })
      .expect(200);
    const run = await runOfContact(env.container, second.id, contactId, 'completed');
    expect((await stepsOf(env.container, run.id))[0]).toMatchObject({
      status: 'skipped',
      output: { reason: 'unsubscribed', status: 'skipped' },
    });
    expect((await messagesOf(env.container, run.id))[0]).toMatchObject({ status: 'skipped', error: 'unsubscribed' });
    expect(sink.received.length).toBe(before);
  });

  it("unsubscribes with a mail client's RFC 8058 one-click POST", async () => {
    const path = await linkFromEmail('oneclick@example.com');
    await app().post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const contact = (
      await app().get('/api/v1/contacts?email=oneclick@example.com').set('Authorization', `Bearer ${apiKey}`)
    ).body.items[0];
    expect(contact.unsubscribedFromEmail).toBe(true);
  });

  it('answers 404 to a token we did not sign, and changes nothing', async () => {
    const contact = await addContact(env.container, accountId, { email: 'forged@example.com' });
    const forged = unsubscribeToken('another-secret-that-is-long-enough-to-be-used', contact.id);
    const truncated = unsubscribeToken(env.config.LINK_SECRET, contact.id).slice(0, -2);
    for (const token of [forged, truncated, 'garbage', 'a.b']) {
      await app().get(`/u/${token}`).expect(404);
      await app().post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(404);
    }
    expect(await unsubscribed(contact.id)).toBe(false);
  });
});
