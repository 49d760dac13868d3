import path from 'node:path';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createApp } from '../../../src/roles/http-app';
import { loadTemplates } from '../../../src/messaging/template-store';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { messagesOf } from './messaging-helpers';

describe('retrying a run whose message step failed', () => {
  let env: TestEnv;
  let smtp: SmtpSink;
  let sms: CaptureServer;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  let smsAccepts = false;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sms = await startCaptureServer(() =>
      smsAccepts ? { status: 202, body: { id: 'sms-1' } } : { status: 422, body: { error: 'unroutable' } },
    );
    env = await createTestEnv({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://retry.example.test',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: `${sms.url}/sms`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    await loadTemplates(path.resolve(__dirname, '../../../templates'));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sms.close();
    await smtp.close();
    await env.cleanup();
  });

  it('delivers the email and the SMS again, with the same Message-ID and messageId, and the run completes', async () => {
    // The SMTP server refuses the first message for good (5xx), then accepts.
    smtp.onMessage = (_email, index) => (index === 0 ? { code: 550, message: '5.7.1 Rejected for now' } : undefined);
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'retry-messages',
      name: 'Retry messages',
      trigger: { type: 'contact.tag_added', tag: 'retry-messages' },
      steps: [
        { id: 'mail', type: 'send_email', subject: 'Hello', text: 'Hello {{contact.firstName}}' },
        { id: 'text', type: 'send_sms', body: 'Hi {{contact.firstName}}' },
      ],
    });
    await addContact(env.container, accountId, {
      email: 'ret@example.com',
      phone: '+14155550123',
      firstName: 'Ret',
      tags: ['retry-messages'],
    });
    const api = request(createApp(env.container));
    const auth = { Authorization: `Bearer ${apiKey}` };
    const runNow = async () =>
      (await env.container.db.query('SELECT id, status FROM runs WHERE workflow_id = $1', [workflow.id]))[0] as
        { id: string; status: string } | undefined;
    const ended = async (status: string) =>
      waitFor(async () => ((await runNow())?.status === status ? runNow() : null), { what: `the run to be ${status}` });

    const run = await ended('failed');
    expect((await messagesOf(env.container, run.id)).map((m) => [m.step_id, m.status])).toEqual([['mail', 'failed']]);
    expect(smtp.received).toHaveLength(1);

    await api.post(`/api/v1/runs/${run.id}/retry`).set(auth).expect(202);
    // The email goes through this time; the SMS provider refuses (4xx: the step fails at once).
    await ended('failed');
    expect(smtp.accepted).toHaveLength(1);
    expect(smtp.accepted[0]!.messageId).toBe(`<${run.id}.mail@retry.example.test>`);
    expect(smtp.accepted[0]!.messageId).toBe(smtp.received[0]!.messageId);
    expect(sms.requests).toHaveLength(1);

    smsAccepts = true;
    await api.post(`/api/v1/runs/${run.id}/retry`).set(auth).expect(202);
    await ended('completed');
    expect(smtp.received).toHaveLength(2);
    expect(sms.requests).toHaveLength(2);
    const [refused, accepted] = sms.requests.map((req) => ({
      key: req.headers['idempotency-key'],
      messageId: JSON.parse(req.body).messageId as string,
    }));
    expect(accepted).toEqual(refused);
    const messages = await messagesOf(env.container, run.id);
    expect(messages.map((m) => [m.step_id, m.status, m.error, m.provider_message_id])).toEqual([
      ['mail', 'sent', null, `<${run.id}.mail@retry.example.test>`],
      ['text', 'sent', null, 'sms-1'],
    ]);
    expect((await stepsOf(env.container, run.id)).map((s) => [s.step_id, s.status, s.attempts])).toEqual([
      ['mail', 'completed', 2],
      ['text', 'completed', 2],
    ]);
  });

  it('renders a message that failed before reaching the provider again, for the contact as it is now', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'retry-address',
      name: 'Retry address',
      trigger: { type: 'contact.tag_added', tag: 'retry-address' },
      steps: [{ id: 'mail', type: 'send_email', to: '{{contact.customFields.workMail}}', subject: 'Hi', text: 'Hi' }],
    });
    const contact = await addContact(env.container, accountId, {
      email: 'home@example.com',
      customFields: { workMail: 'not-an-address' },
      tags: ['retry-address'],
    });
    const runOfWorkflow = async () =>
      (await env.container.db.query('SELECT id, status FROM runs WHERE workflow_id = $1', [workflow.id]))[0] as
        { id: string; status: string } | undefined;
    const run = await waitFor(async () => ((await runOfWorkflow())?.status === 'failed' ? runOfWorkflow() : null), {
      what: 'the run to fail',
    });
    expect((await messagesOf(env.container, run!.id))[0]).toMatchObject({ status: 'failed', to: null, text: null });

    await env.container.db.query(
      `UPDATE contacts SET custom_fields = '{"workMail": "work@example.com"}' WHERE id = $1`,
      [contact.id],
    );
    await request(createApp(env.container))
      .post(`/api/v1/runs/${run!.id}/retry`)
      .set({ Authorization: `Bearer ${apiKey}` })
      .expect(202);
    await waitFor(async () => (await runOfWorkflow())?.status === 'completed', { what: 'the retried run to complete' });
    const sent = smtp.accepted.filter((email) => email.messageId === `<${run!.id}.mail@retry.example.test>`);
    expect(sent.map((email) => email.to)).toEqual([['work@example.com']]);
    expect(await messagesOf(env.container, run!.id)).toEqual([
      expect.objectContaining({ status: 'sent', to: 'work@example.com', subject: 'Hi', error: null }),
    ]);
  });
});
