import type { ActionDeps } from '../../../src/actions/action-deps';
import { sendEmailAction } from '../../../src/actions/send-email';
import type { SendEmailConfig } from '../../../src/definition/steps/send-email';
import { NonRetryableError, RetryableError } from '../../../src/lib/step-errors';
import { createMessaging, type Messaging } from '../../../src/messaging/messaging';
import { addContact, addWorkflow } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { insertRun, messagesOf, stepContext } from './messaging-helpers';

describe('calling send_email directly with a real (run, step)', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let accountId: string;
  let workflowId: string;
  let messaging: Messaging;
  let unconfigured: Messaging;
  let deps: ActionDeps;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL: 'https://once.example.test' });
    ({ accountId } = await createTestAccount(env.container));
    messaging = createMessaging(env.container);
    unconfigured = createMessaging({ ...env.container, config: { ...env.config, SMTP_URL: undefined } });
    deps = { db: env.container.db, config: env.config, messaging } as ActionDeps;
    workflowId = (
      await addWorkflow(env.container, accountId, {
        id: 'direct',
        name: 'Direct',
        trigger: { type: 'manual' },
        steps: [{ id: 'mail', type: 'send_email', subject: 'x', text: 'x' }],
      })
    ).id;
  });
  afterAll(async () => {
    await messaging.close();
    await sink.close();
    await env.cleanup();
  });
  afterEach(() => {
    sink.onMessage = () => undefined;
  });

  const config = (input: Record<string, unknown>): SendEmailConfig => sendEmailAction.configSchema.parse(input);
  const newRun = async (email: string | null, extra: Record<string, unknown> = {}) => {
    const contact = await addContact(
      env.container,
      accountId,
      email ? { email, ...extra } : { phone: '+14155550100', ...extra },
    );
    return { contact, runId: await insertRun(env.container, { accountId, workflowId, contactId: contact.id }) };
  };
  const send = async (
    runId: string,
    input: Record<string, unknown>,
    options: { deps?: ActionDeps; isLastAttempt?: boolean } = {},
  ) =>
    sendEmailAction.execute(
      await stepContext(env.container, {
        runId,
        stepId: 'mail',
        config: config(input),
        deps: options.deps ?? deps,
        isLastAttempt: options.isLastAttempt,
      }),
    );
  const accepted = (runId: string) =>
    sink.accepted.filter((email) => email.messageId === `<${runId}.mail@once.example.test>`);

  it('sends once when the same step is executed twice', async () => {
    const { runId } = await newRun('twice@example.com');
    const first = await send(runId, { subject: 'Once', text: 'Only once' });
    const second = await send(runId, { subject: 'Once', text: 'Only once' });
    expect(accepted(runId)).toHaveLength(1);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ kind: 'completed', output: { status: 'sent', to: 'twice@example.com' } });
    expect(await messagesOf(env.container, runId)).toHaveLength(1);
  });

  it('resends what was stored, with the same Message-ID, when a crash left the message `sending`', async () => {
    const { contact, runId } = await newRun('crashed@example.com');
    await env.container.db.query(
      `INSERT INTO messages (account_id, contact_id, run_id, step_id, channel, "to", subject, text, status)
       VALUES ($1, $2, $3, 'mail', 'email', 'crashed@example.com', 'Stored subject', 'Stored text', 'sending')`,
      [accountId, contact.id, runId],
    );
    const outcome = await send(runId, { subject: 'Re-rendered subject', text: 'Re-rendered text' });
    expect(outcome).toMatchObject({ kind: 'completed', output: { status: 'sent' } });
    const [email] = accepted(runId);
    expect(email!.parsed!.subject).toBe('Stored subject');
    expect(email!.parsed!.text).toContain('Stored text');
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({ status: 'sent', subject: 'Stored subject' });
  });

  it('records not_delivered without SMTP_URL, and sends nothing', async () => {
    const { runId } = await newRun('dev@example.com');
    const before = sink.received.length;
    const outcome = await send(
      runId,
      { subject: 'Dev', html: '<p>Dev</p>' },
      { deps: { ...deps, messaging: unconfigured } },
    );
    expect(outcome).toMatchObject({ kind: 'completed', output: { status: 'not_delivered', to: 'dev@example.com' } });
    expect(sink.received.length).toBe(before);
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({
      status: 'not_delivered',
      subject: 'Dev',
      html: expect.stringContaining('<p>Dev</p>'),
    });
  });

  it('keeps the message `sending` after a transient failure and marks it failed on the last attempt', async () => {
    const { runId } = await newRun('flaky@example.com');
    sink.onMessage = (email) =>
      email.to[0] === 'flaky@example.com' ? { code: 421, message: '4.7.0 Busy' } : undefined;
    await expect(send(runId, { subject: 'Hi', text: 'x' })).rejects.toBeInstanceOf(RetryableError);
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({
      status: 'sending',
      error: expect.stringMatching(/^421 /),
    });
    await expect(send(runId, { subject: 'Hi', text: 'x' }, { isLastAttempt: true })).rejects.toBeInstanceOf(
      RetryableError,
    );
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({ status: 'failed' });
    // A redelivery after the failure was recorded fails again, without calling the server.
    const received = sink.received.length;
    await expect(send(runId, { subject: 'Hi', text: 'x' })).rejects.toBeInstanceOf(NonRetryableError);
    expect(sink.received.length).toBe(received);
  });

  it('skips a contact without an email, with a skipped message row', async () => {
    const { runId } = await newRun(null);
    const outcome = await send(runId, { subject: 'Hi', text: 'x' });
    expect(outcome).toMatchObject({ kind: 'skipped', reason: 'no_email', output: { status: 'skipped' } });
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({
      status: 'skipped',
      error: 'no_email',
      to: null,
    });
  });

  it('fails (and records) an address that is not one, and a template that fails to render', async () => {
    const bad = await newRun('ok@example.com');
    await expect(send(bad.runId, { to: 'not-an-address', subject: 'Hi', text: 'x' })).rejects.toBeInstanceOf(
      NonRetryableError,
    );
    expect((await messagesOf(env.container, bad.runId))[0]).toMatchObject({ status: 'failed' });
    const broken = await newRun('ok2@example.com');
    await expect(send(broken.runId, { subject: '{{nosuchhelper contact.email}}', text: 'x' })).rejects.toBeInstanceOf(
      NonRetryableError,
    );
    expect((await messagesOf(env.container, broken.runId))[0]).toMatchObject({
      status: 'failed',
      to: 'ok2@example.com',
    });
  });
});
