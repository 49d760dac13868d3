import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createApp } from '../../../src/roles/http-app';
import { createLogger } from '../../../src/lib/logger';
import { processRegistry } from '../../../src/observability/metrics';
import { unsubscribeToken } from '../../../src/messaging/unsubscribe-token';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { bookingApi, tokenOf } from '../booking/booking-helpers';

type LogLine = Record<string, unknown> & { msg?: string; err?: Record<string, unknown> };

describe('the logs of database errors', () => {
  let env: TestEnv;
  let smtp: SmtpSink;
  let workers: RunningWorkers | undefined;
  let accountId: string;
  let apiKey: string;
  const lines: string[] = [];
  const parsed = (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://mail.example.test' });
    const sink = new Writable({
      write: (chunk, _encoding, done) => void (lines.push(...String(chunk).split('\n').filter(Boolean)), done()),
    });
    env.container.logger = createLogger({ level: 'debug', destination: sink });
    ({ accountId, apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await workers?.close();
    await smtp.close();
    await env.cleanup();
  });

  it('of a send keep the code, table and constraint, and never the query, its parameters, a token, an email or the message', async () => {
    await bookingApi(createApp(env.container), apiKey).createCalendar({ slug: 'intro' });
    const secretLine = `Private offer ${randomBytes(6).toString('hex')}`;
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'invite',
      name: 'Invite',
      trigger: { type: 'contact.tag_added', tag: 'invite' },
      steps: [
        { id: 'link', type: 'generate_one_time_link', calendar: 'intro' },
        {
          id: 'mail',
          type: 'send_email',
          subject: 'Book a call',
          html: `<p>${secretLine} for {{contact.email}}: <a href="{{steps.link.url}}">book</a></p>`,
          retry: { attempts: 3, backoff: '50ms' },
        },
      ],
    });
    // Every new message row now violates a constraint: the INSERT of the send fails in PostgreSQL.
    await env.container.db.query('ALTER TABLE messages ADD CONSTRAINT no_new_messages CHECK (false) NOT VALID');
    workers = startWorkers(env.container);
    const email = `booker-${randomBytes(4).toString('hex')}@example.com`;
    const contact = await addContact(env.container, accountId, { email, tags: ['invite'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'failed', {
      timeoutMs: 30_000,
      what: 'the run to fail',
    });
    const links: { id: string }[] = await env.container.db.query(
      'SELECT id FROM one_time_links WHERE contact_id = $1',
      [contact.id],
    );
    const { url } = (
      await request(createApp(env.container))
        .get(`/api/v1/one-time-links/${links[0]!.id}`)
        .set('Authorization', `Bearer ${apiKey}`)
        .expect(200)
    ).body;

    // The worker logs the error object of the attempt it hands back to BullMQ: what names the failure stays.
    const logged = parsed().flatMap((line) => (typeof line.err === 'object' ? [line.err] : []));
    expect(logged).toContainEqual(
      expect.objectContaining({ code: '23514', table: 'messages', constraint: 'no_new_messages' }),
    );
    const text = lines.join('\n');
    for (const secret of [tokenOf(url), unsubscribeToken(env.config.LINK_SECRET, contact.id), email, secretLine])
      expect(text).not.toContain(secret);
    for (const field of ['"query"', '"parameters"', '"driverError"', '"detail"', 'INSERT INTO'])
      expect(text).not.toContain(field);
  });

  it('of an unsubscribe page keep the route pattern, never the token of its path', async () => {
    const contact = await addContact(env.container, accountId, {
      email: `reader-${randomBytes(4).toString('hex')}@example.com`,
    });
    const token = unsubscribeToken(env.config.LINK_SECRET, contact.id);
    const app = createApp(env.container);
    await env.container.db.query('ALTER TABLE contacts RENAME TO contacts_elsewhere');
    try {
      await request(app).post(`/u/${token}`).type('form').send('').expect(500);
    } finally {
      await env.container.db.query('ALTER TABLE contacts_elsewhere RENAME TO contacts');
    }
    await request(app).get(`/u/${token}/more`).expect(404);

    const failed = parsed().find((line) => line.msg === 'request failed');
    expect(failed).toMatchObject({ method: 'POST', path: '/u/:token', err: { code: '42P01' } });
    expect(parsed().find((line) => line.msg === 'request rejected' && line.status === 404)).toMatchObject({
      path: '/u/:token/more',
    });
    const text = lines.join('\n');
    expect(text).not.toContain(token);
    expect(text).not.toContain(contact.email as string);
    expect(text).not.toContain('"parameters"');
    const timed = await processRegistry.getSingleMetric('linkflow_http_request_duration_seconds')!.get();
    const routes = timed.values.map((sample) => String(sample.labels.route));
    expect(routes).toContain('/u/:token');
    expect(routes.join(' ')).not.toContain(token);
  });
});
