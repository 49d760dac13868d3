import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { updateAccount } from '../../../src/accounts/account-service';
import { addContact, addWorkflow } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { runOfContact } from './messaging-helpers';

const PUBLIC_URL = 'https://mail.example.test';

describe("an account's emails, as its contacts see the sender", () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL, MAIL_FROM: 'Linkflow <mailer@operator.test>' });
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });

  /** Runs a one-email workflow for a new contact of the account and answers the email's parsed headers. */
  async function emailOf(accountId: string, tag: string) {
    const workflow = await addWorkflow(env.container, accountId, {
      id: `hello-${tag}`,
      name: 'Hello',
      trigger: { type: 'contact.tag_added', tag },
      steps: [{ id: 'hello', type: 'send_email', subject: 'Hello', text: 'Hi there' }],
    });
    const contact = await addContact(env.container, accountId, { email: `${tag}@example.com`, tags: [tag] });
    const run = await runOfContact(env.container, workflow.id, contact.id, 'completed');
    const email = sink.accepted.find((one) => one.messageId === `<${run.id}.hello@mail.example.test>`);
    expect(email).toBeDefined();
    return email!;
  }

  it("is signed with the account's name at MAIL_FROM's address, without a Reply-To, by default", async () => {
    const { accountId } = await createTestAccount(env.container, { name: 'Acme Coaching' });
    const email = await emailOf(accountId, 'plain');
    expect(email.from).toBe('mailer@operator.test');
    expect(email.parsed!.from!.value).toEqual([{ name: 'Acme Coaching', address: 'mailer@operator.test' }]);
    expect(email.parsed!.replyTo).toBeUndefined();
  });

  it('carries the sender name and Reply-To the account set, while the address stays the operator’s', async () => {
    const { accountId } = await createTestAccount(env.container, { name: 'Acme' });
    await updateAccount(env.container.db.manager, accountId, {
      senderName: 'Ada at Acme, Coaching',
      replyTo: 'ada@acme.test',
    });
    const email = await emailOf(accountId, 'custom');
    const fromLine = email.parsed!.headerLines.find((line) => line.key === 'from')!.line;
    expect(fromLine).toBe('From: "Ada at Acme, Coaching" <mailer@operator.test>');
    expect(email.parsed!.replyTo!.value).toEqual([{ name: '', address: 'ada@acme.test' }]);
    expect(email.from).toBe('mailer@operator.test');
  });
});
