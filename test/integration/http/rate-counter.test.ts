import { createRateCounter, type RateCounter } from '../../../src/http/middleware/rate-counter';
import { createRedis } from '../../../src/queue/redis';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

/** The public rate limit's counts (src/http/middleware/rate-counter.ts) on the real Redis. */
describe('the public rate limit counter', () => {
  let env: TestEnv;
  const minute = 29_000_000; // a fixed calendar minute: no test here straddles a window's end
  let clock = minute * 60_000;
  const now = () => clock;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  const counterOf = (limit: number, prefix: string, redis = env.container.redis): RateCounter =>
    createRateCounter({
      redis,
      prefix: `${env.container.config.QUEUE_PREFIX}:${prefix}`,
      limit,
      logger: env.container.logger,
      now,
    });
  const sharedCount = async (prefix: string, client: string) =>
    Number(
      await env.container.redis.get(`${env.container.config.QUEUE_PREFIX}:${prefix}:ratelimit:${client}:${minute}`),
    );

  it('counts clients far below the budget without a round trip each, and sends them all in one call', async () => {
    const counter = counterOf(300, 'far');
    const calls = jest.spyOn(env.container.redis, 'eval');
    try {
      const clients = Array.from({ length: 50 }, (_, i) => `198.51.100.${i}`);
      const answers = clients.flatMap((client) => [counter.count(client), counter.count(client)]);
      // Answered at once, from what this process counted: no request waited for Redis.
      expect(answers.every((answer) => typeof answer === 'number')).toBe(true);
      expect(answers.slice(0, 4)).toEqual([1, 2, 1, 2]);
      expect(calls).not.toHaveBeenCalled();
      await counter.flush();
      expect(calls).toHaveBeenCalledTimes(1);
    } finally {
      calls.mockRestore();
    }
    expect(await sharedCount('far', '198.51.100.0')).toBe(2);
    expect(await sharedCount('far', '198.51.100.49')).toBe(2);
  });

  it('sends the counts by itself within moments, under a key that expires', async () => {
    const [one, other] = [counterOf(300, 'timer'), counterOf(300, 'timer')];
    for (let i = 0; i < 3; i++) one.count('203.0.113.5');
    other.count('203.0.113.5');
    // No flush asked for: each sends on its own timer (a few milliseconds).
    for (let waited = 0; (await sharedCount('timer', '203.0.113.5')) < 4 && waited < 2000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await sharedCount('timer', '203.0.113.5')).toBe(4);
    // The window's key goes by itself: two minutes.
    const ttl = await env.container.redis.ttl(
      `${env.container.config.QUEUE_PREFIX}:timer:ratelimit:203.0.113.5:${minute}`,
    );
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(120);
    await one.flush();
    await other.flush();
  });

  it('counts a client past half the budget in Redis on every request, so processes decide on the shared total', async () => {
    // Two counters stand for two API processes; budget 6, so past 3 every count is the shared one.
    const [one, other] = [counterOf(6, 'near'), counterOf(6, 'near')];
    expect([one.count('192.0.2.7'), one.count('192.0.2.7'), one.count('192.0.2.7')]).toEqual([1, 2, 3]);
    await one.flush();
    expect([other.count('192.0.2.7'), other.count('192.0.2.7'), other.count('192.0.2.7')]).toEqual([1, 2, 3]);
    // Its fourth passes half the budget: counted in Redis with the three it had not sent, 3 + 4.
    const fourth = other.count('192.0.2.7');
    expect(fourth).toBeInstanceOf(Promise);
    expect(await fourth).toBe(7);
    // The first process asks Redis too now (it heard 3, counts a fourth: 4 > 3): the eighth.
    expect(await one.count('192.0.2.7')).toBe(8);
    expect(await sharedCount('near', '192.0.2.7')).toBe(8);
  });

  it('keeps the budget per process while Redis cannot answer, and sends what it counted once it can', async () => {
    const redis = createRedis({ url: env.container.config.REDIS_URL, failFast: true });
    redis.on('error', () => undefined);
    const warn = jest.spyOn(env.container.logger, 'warn');
    try {
      if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
      redis.disconnect();
      const counter = counterOf(6, 'down', redis);
      const answers: number[] = [];
      for (let i = 0; i < 8; i++) answers.push(await counter.count('192.0.2.99'));
      // Past the budget of 6 on this process's own count: the 7th and 8th would be refused.
      expect(answers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(warn).toHaveBeenCalledTimes(1);
      // Counts far below the budget, and a flush that fails: kept for the next one.
      const far = counterOf(300, 'down', redis);
      for (let i = 0; i < 5; i++) far.count('192.0.2.100');
      await far.flush();
      if (redis.status !== 'end') await new Promise((resolve) => redis.once('end', resolve));
      await redis.connect();
      await counter.flush();
      await far.flush();
      expect(await sharedCount('down', '192.0.2.99')).toBe(8);
      expect(await sharedCount('down', '192.0.2.100')).toBe(5);
    } finally {
      warn.mockRestore();
      redis.disconnect();
    }
  });

  it('forgets the windows of past minutes', async () => {
    const counter = counterOf(300, 'forget');
    for (let i = 0; i < 100; i++) counter.count(`198.51.100.${i}`);
    await counter.flush();
    expect(counter.remembered()).toBe(100);
    clock += 60_000;
    try {
      counter.count('198.51.100.1');
      expect(counter.remembered()).toBe(1);
    } finally {
      clock -= 60_000;
      await counter.flush();
    }
  });
});
