import type { ActionDeps } from '../../../src/actions/action-deps';
import { sendEmailAction } from '../../../src/actions/send-email';
import { sendSmsAction } from '../../../src/actions/send-sms';
import type { Config } from '../../../src/config/env';
import { NonRetryableError, RetryableError } from '../../../src/lib/step-errors';
import { createMessaging, type Messaging } from '../../../src/messaging/messaging';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { insertRun, messagesOf, stepContext } from './messaging-helpers';

const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';

describe('sending SMS through each provider', () => {
  let env: TestEnv;
  let accountId: string;
  let workflowId: string;
  let webhook: CaptureServer;
  let twilio: CaptureServer;
  const built: Messaging[] = [];

  beforeAll(async () => {
    webhook = await startCaptureServer((req) => {
      const to = JSON.parse(req.body).to as string;
      if (to === '+14155550500') return { status: 503, body: { error: 'busy' } };
      if (to === '+14155550400') return { status: 422, body: { error: 'unroutable' } };
      return { status: 202, body: { id: `wh-${to}` } };
    });
    twilio = await startCaptureServer((req) => {
      const to = new URLSearchParams(req.body).get('To');
      if (to === '+14155550400')
        return { status: 400, body: { code: 21211, message: "The 'To' number is not valid." } };
      if (to === '+14155550429') return { status: 429, body: { code: 20429, message: 'Too Many Requests' } };
      return { status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } };
    });
    env = await createTestEnv({ PUBLIC_URL: 'https://sms.example.test' });
    ({ accountId } = await createTestAccount(env.container));
    workflowId = (
      await addWorkflow(env.container, accountId, {
        id: 'sms',
        name: 'SMS',
        trigger: { type: 'manual' },
        steps: [{ id: 'text', type: 'send_sms', body: 'x' }],
      })
    ).id;
  });
  afterAll(async () => {
    await Promise.all(built.map((messaging) => messaging.close()));
    await webhook.close();
    await twilio.close();
    await env.cleanup();
  });

  const depsFor = (overrides: Partial<Config>): ActionDeps => {
    const config = { ...env.config, ...overrides };
    const messaging = createMessaging({ ...env.container, config });
    built.push(messaging);
    return { db: env.container.db, config, messaging } as ActionDeps;
  };
  const newRun = async (input: Record<string, unknown>) => {
    const contact = await addContact(env.container, accountId, input);
    return { contact, runId: await insertRun(env.container, { accountId, workflowId, contactId: contact.id }) };
  };
  const sms = async (deps: ActionDeps, runId: string, input: Record<string, unknown>) =>
    sendSmsAction.execute(
      await stepContext(env.container, {
        runId,
        stepId: 'text',
        type: 'send_sms',
        config: sendSmsAction.configSchema.parse(input),
        deps,
      }),
    );

  describe('the webhook provider', () => {
    let deps: ActionDeps;
    beforeAll(() => {
      deps = depsFor({ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: `${webhook.url}/sms`, SMS_FROM: 'Acme' });
    });

    it('POSTs {to, from, body, messageId} as JSON and records the id the provider answers', async () => {
      const { runId } = await newRun({ phone: '+14155550123', firstName: '<b>Ada</b>' });
      const outcome = await sms(deps, runId, { body: 'Hi {{contact.first_name}} & co, see {{contact.phone}}' });
      const request = webhook.requests.find((r) => JSON.parse(r.body).to === '+14155550123')!;
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request.body)).toEqual({
        to: '+14155550123',
        from: 'Acme',
        body: 'Hi <b>Ada</b> & co, see +14155550123',
        messageId: `${runId}.text@sms.example.test`,
      });
      expect(request.headers['idempotency-key']).toBe(`${runId}.text@sms.example.test`);
      expect(outcome).toMatchObject({
        kind: 'completed',
        output: { status: 'sent', to: '+14155550123', providerMessageId: 'wh-+14155550123' },
      });
      expect((await messagesOf(env.container, runId))[0]).toMatchObject({
        channel: 'sms',
        status: 'sent',
        body: 'Hi <b>Ada</b> & co, see +14155550123',
      });
    });

    it('retries on 5xx and fails on 4xx', async () => {
      const busy = await newRun({ phone: '+14155550500' });
      await expect(sms(deps, busy.runId, { body: 'x' })).rejects.toBeInstanceOf(RetryableError);
      const refused = await newRun({ phone: '+14155550400' });
      await expect(sms(deps, refused.runId, { body: 'x' })).rejects.toBeInstanceOf(NonRetryableError);
      expect((await messagesOf(env.container, refused.runId))[0]).toMatchObject({
        status: 'failed',
        error: expect.stringContaining('422'),
      });
    });

    it('skips a contact without a phone, and sends a contact with dnd neither SMS nor email', async () => {
      const noPhone = await newRun({ email: 'nophone@example.com' });
      expect(await sms(deps, noPhone.runId, { body: 'x' })).toMatchObject({ kind: 'skipped', reason: 'no_phone' });
      const before = webhook.requests.length;
      const dnd = await newRun({ phone: '+14155550999', email: 'dnd@example.com', dnd: true });
      expect(await sms(deps, dnd.runId, { body: 'x' })).toMatchObject({
        kind: 'skipped',
        reason: 'dnd',
        output: { status: 'skipped' },
      });
      const email = await sendEmailAction.execute(
        await stepContext(env.container, {
          runId: dnd.runId,
          stepId: 'mail',
          config: sendEmailAction.configSchema.parse({ subject: 'x', text: 'x' }),
          deps,
        }),
      );
      expect(email).toMatchObject({ kind: 'skipped', reason: 'dnd' });
      expect(webhook.requests.length).toBe(before);
      expect((await messagesOf(env.container, dnd.runId)).map((m) => [m.channel, m.status, m.error])).toEqual([
        ['sms', 'skipped', 'dnd'],
        ['email', 'skipped', 'dnd'],
      ]);
    });
  });

  describe('the Twilio provider, against a fake of its Messages endpoint', () => {
    let deps: ActionDeps;
    beforeAll(() => {
      deps = depsFor({
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: TWILIO_SID,
        TWILIO_AUTH_TOKEN: 'secret-token',
        TWILIO_FROM: '+14155550000',
        TWILIO_API_URL: twilio.url,
      });
    });

    it('makes the form-encoded Messages call with basic auth and records the sid', async () => {
      const { runId } = await newRun({ phone: '+14155550124', firstName: 'Grace' });
      const outcome = await sms(deps, runId, { body: 'Hi {{contact.first_name}}: 50% off & more' });
      const request = twilio.requests.find((r) => new URLSearchParams(r.body).get('To') === '+14155550124')!;
      expect(request.method).toBe('POST');
      expect(request.url).toBe(`/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from(`${TWILIO_SID}:secret-token`).toString('base64')}`,
      );
      expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
        To: '+14155550124',
        From: '+14155550000',
        Body: 'Hi Grace: 50% off & more',
      });
      expect(outcome).toMatchObject({
        kind: 'completed',
        output: { status: 'sent', providerMessageId: 'SM0123456789abcdef0123456789abcdef' },
      });
    });

    it("fails on a 4xx with Twilio's message and retries a 429", async () => {
      const invalid = await newRun({ phone: '+14155550400' });
      await expect(sms(deps, invalid.runId, { body: 'x' })).rejects.toBeInstanceOf(NonRetryableError);
      expect((await messagesOf(env.container, invalid.runId))[0]!.error).toContain("The 'To' number is not valid.");
      const limited = await newRun({ phone: '+14155550429' });
      await expect(sms(deps, limited.runId, { body: 'x' })).rejects.toBeInstanceOf(RetryableError);
    });
  });

  it('records not_delivered with the log provider (the default)', async () => {
    const deps = depsFor({ SMS_PROVIDER: 'log' });
    const { runId } = await newRun({ phone: '+14155550125' });
    expect(await sms(deps, runId, { body: 'Hello' })).toMatchObject({
      kind: 'completed',
      output: { status: 'not_delivered' },
    });
  });
});
