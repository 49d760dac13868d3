import { loadConfig } from '../../../src/config/env';
import { closeContainer, createContainer, type Container } from '../../../src/container';
import { createLogger } from '../../../src/lib/logger';
import { QUEUE_NAMES } from '../../../src/queue/job-catalog';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

/** A container whose services may be unreachable; its queues' connection errors are expected here. */
function quietContainer(overrides: Record<string, string>, env: TestEnv): Container {
  const container = createContainer(
    loadConfig({ ...env.env, ...overrides }),
    createLogger({ level: 'silent', pretty: false }),
  );
  for (const name of QUEUE_NAMES) container.queues.queue(name).on('error', () => undefined);
  return container;
}

describe('GET /healthz', () => {
  let env: TestEnv;
  let redisDown: Container;
  beforeAll(async () => {
    env = await createTestEnv();
    redisDown = quietContainer({ REDIS_URL: 'redis://127.0.0.1:1' }, env);
    await redisDown.db.initialize();
  });
  afterAll(async () => {
    await closeContainer(redisDown);
    await env.cleanup();
  });

  it('answers 200 ok when Postgres and Redis both answer, without an API key', async () => {
    const res = await apiClient(env.container).raw().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers 503 naming redis, quickly, when Redis is unreachable', async () => {
    const started = Date.now();
    const res = await apiClient(redisDown).raw().get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', down: ['redis'] });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('answers 503 naming postgres when the database is gone', async () => {
    const dbDown = quietContainer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' }, env);
    try {
      const res = await apiClient(dbDown).raw().get('/healthz');
      expect(res.status).toBe(503);
      expect(res.body.down).toContain('postgres');
    } finally {
      await closeContainer(dbDown);
    }
  });

  it('answers unknown routes with 404 not_found', async () => {
    const res = await apiClient(env.container).raw().get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
