import request from 'supertest';
import { DEVELOPMENT_LINK_SECRET, type Config } from '../../../src/config/env';
import type { Container } from '../../../src/container';
import { createApp } from '../../../src/roles/http-app';
import { createLogger } from '../../../src/lib/logger';
import { applyLinkSecret, resolveLinkSecret } from '../../../src/startup/link-secret';
import { bookingApi, bookPath } from '../booking/booking-helpers';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/** The container as a restarted process without LINK_SECRET sees it: nothing resolved yet, logs captured. */
function restarted(container: Container): { container: Container; logs: { level: number; msg: string }[] } {
  const logs: { level: number; msg: string }[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
  });
  const config: Config = { ...container.config, LINK_SECRET: '', linkSecretFromEnvironment: false };
  return { container: { ...container, config, logger }, logs };
}

const WARN = 40;

describe('the secret of links and unsubscribe links, without LINK_SECRET', () => {
  const envs: TestEnv[] = [];
  const newEnv = async (overrides: Record<string, string> = {}) => {
    const env = await createTestEnv(overrides);
    envs.push(env);
    return env;
  };
  afterAll(async () => {
    for (const env of envs) await env.cleanup();
  });

  it('gives two new installations two different random secrets, each kept across restarts', async () => {
    const [first, second] = [await newEnv(), await newEnv()];
    expect(first.config.LINK_SECRET).not.toBe(second.config.LINK_SECRET);
    for (const env of [first, second]) {
      expect(env.config.LINK_SECRET).not.toBe(DEVELOPMENT_LINK_SECRET);
      expect(env.config.LINK_SECRET.length).toBeGreaterThanOrEqual(43);
      const again = restarted(env.container);
      expect(await applyLinkSecret(again.container)).toBe('stored');
      expect(again.container.config.LINK_SECRET).toBe(env.config.LINK_SECRET);
      expect(again.logs.filter((line) => line.level >= WARN)).toEqual([]);
    }
  });

  it('agrees on one secret when the processes of a new installation start at once', async () => {
    const env = await newEnv();
    await env.container.db.query('DELETE FROM link_secret');
    const results = await Promise.all(Array.from({ length: 6 }, () => resolveLinkSecret(env.container.db, {})));
    expect(new Set(results.map((result) => result.secret)).size).toBe(1);
    expect(results.filter((result) => result.source === 'generated')).toHaveLength(1);
    expect(results[0]!.secret).not.toBe(DEVELOPMENT_LINK_SECRET);
  });

  it('uses LINK_SECRET when it is set, and stores no secret of its own', async () => {
    const secret = 'an-operator-chosen-secret-of-40-characters';
    const env = await newEnv({ LINK_SECRET: secret });
    expect(env.config.LINK_SECRET).toBe(secret);
    const stored: unknown[] = await env.container.db.query('SELECT 1 FROM link_secret');
    expect(stored).toEqual([]);
  });

  it('keeps the development secret of an installation that already sent links with it, warning at every start', async () => {
    const env = await newEnv();
    // The installation as the previous version left it: links minted with the constant, no stored secret.
    await env.container.db.query('DELETE FROM link_secret');
    const legacy = { ...env.container, config: { ...env.container.config, LINK_SECRET: DEVELOPMENT_LINK_SECRET } };
    const { apiKey } = await createTestAccount(env.container);
    const booking = bookingApi(createApp(legacy), apiKey);
    const link = await booking.mintLink((await booking.createCalendar()).id);

    for (let start = 0; start < 2; start += 1) {
      const restart = restarted(env.container);
      expect(await applyLinkSecret(restart.container)).toBe('legacy-development');
      expect(restart.container.config.LINK_SECRET).toBe(DEVELOPMENT_LINK_SECRET);
      expect(restart.logs.filter((line) => line.level === WARN).map((line) => line.msg)).toHaveLength(1);
      await request(createApp(restart.container)).get(bookPath(link.url)).expect(200);
    }
  });
});
