import path from 'node:path';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createApp } from '../../../src/roles/http-app';
import { loadTemplates } from '../../../src/messaging/template-store';
import { unsubscribeUrl } from '../../../src/messaging/unsubscribe-token';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { messagesOf, runOfContact } from './messaging-helpers';

const PUBLIC_URL = 'https://mail.example.test';

describe('sending email through a real SMTP server', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  const api = () => request(createApp(env.container));

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL, MAIL_FROM: 'Acme <hello@acme.test>' });
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme' }));
    await loadTemplates(path.resolve(__dirname, '../../../templates'));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });
  afterEach(() => {
    sink.onMessage = () => undefined;
    sink.onRecipient = () => undefined;
  });

  const acceptedFor = (runId: string, stepId: string) =>
    sink.accepted.filter((email) => email.messageId === `<${runId}.${stepId}@mail.example.test>`);

  it('delivers the rendered email with escaping, a text part, List-Unsubscribe and a deterministic Message-ID', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'inline-email',
      name: 'Inline email',
      trigger: { type: 'contact.tag_added', tag: 'inline' },
      steps: [
        {
          id: 'hello',
          type: 'send_email',
          subject: 'Hi {{contact.first_name}} & welcome',
          html: '<h1>Hello {{contact.firstName}}</h1><p>Your plan: {{upper contact.customFields.plan}}</p><p><a href="{{unsubscribeUrl}}">Stop</a></p>',
        },
      ],
    });
    const contact = await addContact(env.container, accountId, {
      email: 'ada@example.com',
      firstName: '<script>alert(1)</script>',
      customFields: { plan: 'pro' },
      tags: ['inline'],
    });
    const run = await runOfContact(env.container, workflow.id, contact.id, 'completed');

    const [email, ...others] = acceptedFor(run.id, 'hello');
    expect(others).toHaveLength(0);
    const url = unsubscribeUrl({ publicUrl: PUBLIC_URL, secret: env.config.LINK_SECRET, contactId: contact.id });
    expect(email!.to).toEqual(['ada@example.com']);
    expect(email!.from).toBe('hello@acme.test');
    const mail = email!.parsed!;
    expect(mail.subject).toBe('Hi <script>alert(1)</script> & welcome');
    expect(mail.html).toContain('<h1>Hello &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Your plan: PRO');
    expect(mail.text).toContain('Hello <script>alert(1)</script>');
    expect(mail.text).toContain(`Stop (${url})`);
    expect(mail.messageId).toBe(`<${run.id}.hello@mail.example.test>`);
    const header = (name: string) => mail.headerLines.find((line) => line.key === name)?.line.replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${url}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.html).toContain(`href="${url}"`);

    const [row] = await messagesOf(env.container, run.id);
    expect(row).toMatchObject({ channel: 'email', to: 'ada@example.com', status: 'sent', step_id: 'hello' });
    const [step] = await stepsOf(env.container, run.id);
    expect(step!.output).toEqual({
      messageId: row!.id,
      status: 'sent',
      to: 'ada@example.com',
      providerMessageId: mail.messageId,
    });

    const listed = await api()
      .get(`/api/v1/contacts/${contact.id}/messages`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(listed.body.items).toEqual([
      {
        id: row!.id,
        channel: 'email',
        to: 'ada@example.com',
        subject: 'Hi <script>alert(1)</script> & welcome',
        html: expect.stringContaining('&lt;script&gt;'),
        text: expect.stringContaining('Hello <script>'),
        status: 'sent',
        runId: run.id,
        stepId: 'hello',
        providerMessageId: mail.messageId,
        createdAt: expect.stringMatching(/Z$/),
      },
    ]);
  });

  it('renders a file template with its layout, partials, text part and the contact data', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'file-templates',
      name: 'File templates',
      trigger: { type: 'contact.tag_added', tag: 'files' },
      steps: [
        { id: 'welcome', type: 'send_email', template: 'welcome' },
        { id: 'invite', type: 'send_email', template: 'booking-invite' },
      ],
    });
    const contact = await addContact(env.container, accountId, {
      email: 'grace@example.com',
      firstName: 'Grace',
      customFields: { bookingLink: 'https://book.example.test/b/abc' },
      tags: ['files'],
    });
    const run = await runOfContact(env.container, workflow.id, contact.id, 'completed');
    const url = unsubscribeUrl({ publicUrl: PUBLIC_URL, secret: env.config.LINK_SECRET, contactId: contact.id });

    const welcome = acceptedFor(run.id, 'welcome')[0]!.parsed!;
    expect(welcome.subject).toBe('Welcome to Acme, Grace!');
    expect(welcome.html).toContain('Welcome, Grace!');
    expect(welcome.html).toContain('The Acme team'); // the signature partial
    expect(welcome.html).toContain(`href="${url}"`); // the layout's footer
    expect(welcome.text).toContain('Welcome, Grace!\n\nThanks for subscribing.'); // welcome.email.txt.hbs
    expect(welcome.text).toContain(`Unsubscribe: ${url}`);

    const invite = acceptedFor(run.id, 'invite')[0]!.parsed!;
    expect(invite.subject).toBe('Grace, pick a time for your call');
    expect(invite.html).toContain('href="https://book.example.test/b/abc"');
    expect(invite.text).toContain('Pick a time (https://book.example.test/b/abc)'); // derived from the HTML
  });

  it('retries a 451 and sends the message once when the server then accepts it', async () => {
    sink.onMessage = (email) =>
      email.to[0] === 'later@example.com' && sink.received.filter((e) => e.to[0] === 'later@example.com').length === 1
        ? { code: 451, message: '4.3.0 Try again later' }
        : undefined;
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'greylisted',
      name: 'Greylisted',
      trigger: { type: 'contact.tag_added', tag: 'greylisted' },
      steps: [
        { id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello', retry: { attempts: 3, backoff: '100ms' } },
      ],
    });
    const contact = await addContact(env.container, accountId, { email: 'later@example.com', tags: ['greylisted'] });
    const run = await runOfContact(env.container, workflow.id, contact.id, 'completed');

    expect(sink.received.filter((email) => email.to[0] === 'later@example.com')).toHaveLength(2);
    expect(acceptedFor(run.id, 'mail')).toHaveLength(1);
    expect((await stepsOf(env.container, run.id))[0]).toMatchObject({ status: 'completed', attempts: 2 });
    expect((await messagesOf(env.container, run.id))[0]).toMatchObject({ status: 'sent', error: null });
  });

  it('fails the step on a 550 with the server reply as its error, without a retry', async () => {
    let attempts = 0;
    sink.onRecipient = (address) => {
      if (address !== 'nobody@example.com') return undefined;
      attempts++;
      return { code: 550, message: '5.1.1 No such user here' };
    };
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'bounced',
      name: 'Bounced',
      trigger: { type: 'contact.tag_added', tag: 'bounced' },
      steps: [
        { id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello', retry: { attempts: 3, backoff: '100ms' } },
        { id: 'after', type: 'add_tag', tag: 'never' },
      ],
    });
    const contact = await addContact(env.container, accountId, { email: 'nobody@example.com', tags: ['bounced'] });
    const run = await runOfContact(env.container, workflow.id, contact.id, 'failed');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a retry, if there were one, would come within this

    expect(attempts).toBe(1);
    const steps = await stepsOf(env.container, run.id);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ step_id: 'mail', status: 'failed', attempts: 1 });
    expect(steps[0]!.error).toMatch(/^550 5\.1\.1/);
    const [row] = await messagesOf(env.container, run.id);
    expect(row).toMatchObject({ status: 'failed', to: 'nobody@example.com' });
    expect(row!.error).toMatch(/^550 /);
  });

  it('answers 404 for the messages of an unknown contact or of another account', async () => {
    const other = await createTestAccount(env.container, { name: 'Other' });
    const theirs = await addContact(env.container, other.accountId, { email: 'theirs@example.com' });
    const auth = { Authorization: `Bearer ${apiKey}` };
    const foreign = await api().get(`/api/v1/contacts/${theirs.id}/messages`).set(auth).expect(404);
    expect(foreign.body.error.code).toBe('not_found');
    await api().get('/api/v1/contacts/00000000-0000-4000-8000-000000000000/messages').set(auth).expect(404);
    const own = await api()
      .get(`/api/v1/contacts/${theirs.id}/messages`)
      .set('Authorization', `Bearer ${other.apiKey}`)
      .expect(200);
    expect(own.body).toEqual({ items: [], nextCursor: null });
  });
});
