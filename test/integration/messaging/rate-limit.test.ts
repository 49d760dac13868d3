import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { RetryAfterError } from '../../../src/lib/step-errors';
import { createRateLimiter } from '../../../src/messaging/rate-limiter';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, uniqueName, waitFor, type TestEnv } from '../../helpers/test-env';

describe('the provider rate limit', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let accountId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, EMAIL_RATE_PER_SEC: '2', WORKER_CONCURRENCY: '10' });
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await workers?.close();
    await sink.close();
    await env.cleanup();
  });

  it('lets a window take only its share and names the window a waiting message should come back in', async () => {
    const limiter = createRateLimiter({
      redis: env.container.redis,
      prefix: uniqueName('rl'),
      rates: { email: 3, sms: 0 },
    });
    const results = await Promise.allSettled(Array.from({ length: 9 }, () => limiter.acquire('email')));
    const passed = results.filter((result) => result.status === 'fulfilled').length;
    const waits = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    // Nine at once may straddle a second boundary: at most two windows' worth pass.
    expect(passed).toBeGreaterThanOrEqual(3);
    expect(passed).toBeLessThanOrEqual(6);
    for (const wait of waits) {
      expect(wait).toBeInstanceOf(RetryAfterError);
      expect((wait as RetryAfterError).at.getTime()).toBeGreaterThan(Date.now());
    }
    await limiter.acquire('sms'); // 0 = unlimited
  });

  it('delays emails over EMAIL_RATE_PER_SEC, shared by every worker, and drops none', async () => {
    workers = startWorkers(env.container);
    const second = startWorkers(env.container); // a second worker set shares the same Redis counter
    try {
      const workflow = await addWorkflow(env.container, accountId, {
        id: 'limited',
        name: 'Limited',
        trigger: { type: 'contact.tag_added', tag: 'limited' },
        steps: [{ id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello' }],
      });
      for (let i = 0; i < 7; i++)
        await addContact(env.container, accountId, { email: `limited${i}@example.com`, tags: ['limited'] });
      await waitFor(
        async () => (await runsOf(env.container, workflow.id)).filter((run) => run.status === 'completed').length === 7,
        {
          timeoutMs: 30_000,
          what: '7 completed runs',
        },
      );
    } finally {
      await second.close();
    }
    const times = sink.accepted
      .filter((email) => email.to[0]!.startsWith('limited'))
      .map((email) => email.at)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(7);
    // 2 per one-second window: 7 messages need 4 windows, and no 1 s span holds more than 2 windows' worth.
    // Times are of arrival at the SMTP server, so allow for SMTP latency varying on a loaded machine
    // (without the limit all 7 would arrive within a few tens of milliseconds).
    const slack = 300;
    expect(times[6]! - times[0]!).toBeGreaterThanOrEqual(2000 - slack);
    for (let i = 0; i + 4 < times.length; i++) expect(times[i + 4]! - times[i]!).toBeGreaterThanOrEqual(1000 - slack);
  });
});
