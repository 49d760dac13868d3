import type { ActionDeps } from '../../../src/actions/action-deps';
import { sendEmailAction } from '../../../src/actions/send-email';
import { sendSmsAction } from '../../../src/actions/send-sms';
import { createMessaging, type Messaging } from '../../../src/messaging/messaging';
import { addContact, addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { insertRun, messagesOf, stepContext } from './messaging-helpers';

/** Without a provider a message is recorded `not_delivered`, and its row says why in plain words. */
describe('a message recorded but not delivered', () => {
  let env: TestEnv;
  let accountId: string;
  let workflowId: string;
  let messaging: Messaging;
  let deps: ActionDeps;

  beforeAll(async () => {
    // No SMTP_URL, and SMS_PROVIDER left at its default, `log`.
    env = await createTestEnv({ PUBLIC_URL: 'https://quiet.example.test' });
    ({ accountId } = await createTestAccount(env.container));
    messaging = createMessaging(env.container);
    deps = { db: env.container.db, config: env.config, messaging } as ActionDeps;
    workflowId = (
      await addWorkflow(env.container, accountId, {
        id: 'quiet',
        name: 'Quiet',
        trigger: { type: 'manual' },
        steps: [
          { id: 'mail', type: 'send_email', subject: 'x', text: 'x' },
          { id: 'sms', type: 'send_sms', body: 'x' },
        ],
      })
    ).id;
  });
  afterAll(async () => {
    await messaging.close();
    await env.cleanup();
  });

  const newRun = async () => {
    const contact = await addContact(env.container, accountId, {
      email: `quiet-${Date.now()}@example.com`,
      phone: '+14155550111',
    });
    return insertRun(env.container, { accountId, workflowId, contactId: contact.id });
  };

  it('says that no SMTP server is configured, and how to set one', async () => {
    const runId = await newRun();
    const context = await stepContext(env.container, {
      runId,
      stepId: 'mail',
      config: sendEmailAction.configSchema.parse({ subject: 'Hello', text: 'Hello' }),
      deps,
    });
    expect(await sendEmailAction.execute(context)).toMatchObject({ output: { status: 'not_delivered' } });
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({
      status: 'not_delivered',
      error: 'Not sent: no SMTP server is configured (set SMTP_URL)',
    });
  });

  it('says that no SMS provider is configured, and how to set one', async () => {
    const runId = await newRun();
    const context = await stepContext(env.container, {
      runId,
      stepId: 'sms',
      type: 'send_sms',
      config: sendSmsAction.configSchema.parse({ body: 'Hello' }),
      deps,
    });
    expect(await sendSmsAction.execute(context)).toMatchObject({ output: { status: 'not_delivered' } });
    expect((await messagesOf(env.container, runId))[0]).toMatchObject({
      status: 'not_delivered',
      error: 'Not sent: no SMS provider is configured (set SMS_PROVIDER to webhook or twilio)',
    });
  });
});
