import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';

jest.setTimeout(60_000);

describe('losing Redis while running', () => {
  let redis: PrivateRedis;
  let env: TestEnv;
  let workers: RunningWorkers;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    env = await createTestEnv({ REDIS_URL: redis.url });
    env.container.redis.on('error', () => undefined);
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await redis.start(); // workers close cleanly only with their Redis back
    await workers.close();
    await env.cleanup();
    await redis.stop();
  });

  it('keeps every event in the outbox while Redis is down and runs them all once it is back', async () => {
    const { accountId } = await createTestAccount(env.container);
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'outage',
      name: 'Outage',
      trigger: { type: 'contact.tag_added', tag: 'outage' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'survived' }],
    });
    await addContact(env.container, accountId, { email: 'before@example.com', tags: ['outage'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed');
    await waitFor(
      async () => {
        const unpublished: { count: string }[] = await env.container.db.query(
          'SELECT count(*) FROM outbox_events WHERE published_at IS NULL',
        );
        return unpublished[0]!.count === '0';
      },
      { what: "the first run's events published" },
    );

    await redis.stop();
    for (let i = 0; i < 5; i++)
      await addContact(env.container, accountId, { email: `during${i}@example.com`, tags: ['outage'] });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pending: { count: string }[] = await env.container.db.query(
      `SELECT count(*) FROM outbox_events WHERE published_at IS NULL AND type = 'contact.tag_added'`,
    );
    expect(Number(pending[0]!.count)).toBe(5);

    await redis.start();
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).filter((r) => r.status === 'completed').length === 6,
      {
        timeoutMs: 30_000,
        what: 'six completed runs',
      },
    );
    await waitFor(
      async () => {
        const unpublished: { count: string }[] = await env.container.db.query(
          'SELECT count(*) FROM outbox_events WHERE published_at IS NULL',
        );
        return unpublished[0]!.count === '0';
      },
      { what: 'an empty outbox' },
    );
  });
});
