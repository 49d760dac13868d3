import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi, bookPath } from './booking-helpers';

describe('the public rate limit', () => {
  let env: TestEnv;
  let linkPath: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_RATE_LIMIT: '5', TRUST_PROXY: '1' });
    const { apiKey } = await createTestAccount(env.container);
    const app = createApp(env.container);
    const api = bookingApi(app, apiKey);
    const calendar = await api.createCalendar({ slug: 'limited' });
    linkPath = bookPath((await api.mintLink(calendar.id)).url);
  });
  afterAll(async () => env.cleanup());

  it('answers 429 past PUBLIC_RATE_LIMIT requests a minute per IP, across API processes, on /book, /c and /u', async () => {
    // Two apps stand for two API processes: they share the count through Redis.
    const apps = [createApp(env.container), createApp(env.container)];
    // The window is the calendar minute: do not start the burst just before it turns.
    const seconds = new Date().getSeconds();
    if (seconds >= 55) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
    const from = (ip: string, index: number, path: string) =>
      request(apps[index % 2]!)
        .get(path)
        .set('X-Forwarded-For', ip);
    const statuses: number[] = [];
    for (const [index, path] of [linkPath, '/c/limited', linkPath, '/u/whatever', '/c/limited'].entries()) {
      statuses.push((await from('203.0.113.7', index, path)).status);
    }
    expect(statuses.filter((status) => status === 429)).toHaveLength(0);
    const limited = await from('203.0.113.7', 0, linkPath).set('Accept', 'application/json');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const page = await from('203.0.113.7', 1, '/c/limited');
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many requests');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    // Another client (TRUST_PROXY: one hop, the forwarded address counts) and the API are not limited.
    expect((await from('198.51.100.9', 0, '/c/limited')).status).toBe(200);
    expect((await request(apps[0]!).get('/api/v1/calendars').set('X-Forwarded-For', '203.0.113.7')).status).toBe(401);
  });

  it('counts IPv6 clients per /64 and IPv4-mapped IPv6 clients as their IPv4 address', async () => {
    const app = createApp(env.container);
    const seconds = new Date().getSeconds();
    if (seconds >= 55) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
    const from = (ip: string) =>
      request(app)
        .get('/c/limited')
        .set('X-Forwarded-For', ip)
        .then((res) => res.status);
    // Five addresses of one /64 spend one budget of five: the sixth address of that /64 is refused.
    const oneNetwork = [
      '2001:db8:7:1::1',
      '2001:db8:7:1::2',
      '2001:db8:7:1:ffff:ffff:ffff:ffff',
      '2001:db8:7:1:abcd::9',
      '2001:DB8:7:1::5',
    ];
    for (const ip of oneNetwork) expect(await from(ip)).toBe(200);
    expect(await from('2001:db8:7:1:1234::77')).toBe(429);
    // The neighbouring /64 has its own budget.
    expect(await from('2001:db8:7:2::1')).toBe(200);
    // ::ffff:192.0.2.44 and 192.0.2.44 are one client.
    for (let i = 0; i < 5; i++) expect(await from(i % 2 === 0 ? '::ffff:192.0.2.44' : '192.0.2.44')).toBe(200);
    expect(await from('192.0.2.44')).toBe(429);
  });

  it('is off with PUBLIC_RATE_LIMIT=0', async () => {
    const open = await createTestEnv({ PUBLIC_RATE_LIMIT: '0' });
    try {
      const app = createApp(open.container);
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () =>
          request(app)
            .get('/c/anything')
            .then((r) => r.status),
        ),
      );
      expect(new Set(statuses)).toEqual(new Set([404]));
    } finally {
      await open.cleanup();
    }
  });
});
