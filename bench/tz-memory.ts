/**
 * Memory of the public pages under hostile `?tz=` spellings, for `npm run bench`: a child process
 * serves the scheduling page and asks itself for 5,000 case variants of one zone, and reports its
 * RSS before and after (after a full GC both times). "Before" follows as many requests with one
 * spelling, so that the process's ordinary growth under load is not counted against the spellings. A child process, so the figure is the pages'
 * own and not whatever the rest of the bench left behind. Before zones were canonicalised, luxon
 * kept one zone object and one Intl formatter per spelling for the life of the process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createCalendar } from '../src/booking/calendar-service';
import { loadConfig } from '../src/config/env';
import { closeContainer, createContainer } from '../src/container';
import { createApp } from '../src/roles/http-app';
import { createLogger } from '../src/lib/logger';
import { createTestAccount, type TestEnv } from '../test/helpers/test-env';

const CHILD_FLAG = '--tz-memory-child';
const ZONE = 'America/Argentina/Buenos_Aires';

export interface TzMemoryResult {
  spellings: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** Heap in use after a full GC, before and after: what is really kept, without the allocator's slack. */
  heapBeforeMb: number;
  heapAfterMb: number;
}

/** `count` distinct case variants of `name`. */
function spellingsOf(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, mask) =>
    [...name].map((ch, i) => ((mask >> i) & 1 ? ch.toUpperCase() : ch.toLowerCase())).join(''),
  );
}

export async function benchTzMemory(env: TestEnv, options: { spellings?: number } = {}): Promise<TzMemoryResult> {
  const { accountId } = await createTestAccount(env.container);
  // One short slot a day: the page is cheap to render, so the figure is about zones, not slots.
  const calendar = await env.container.db.transaction((tx) =>
    createCalendar(tx, accountId, {
      name: 'Zones',
      timezone: 'UTC',
      durationMinutes: 60,
      availability: [{ day: 'mon', start: '09:00', end: '10:00' }],
    }),
  );
  const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', __filename, CHILD_FLAG], {
    env: {
      ...process.env,
      ...env.env,
      PUBLIC_RATE_LIMIT: '0',
      TZ_BENCH_SLUG: calendar.slug,
      TZ_BENCH_SPELLINGS: String(options.spellings ?? 5000),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`tz memory child exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop()!) as TzMemoryResult;
}

async function runChild(): Promise<void> {
  const config = loadConfig(process.env);
  const container = createContainer(config, createLogger({ level: 'silent', pretty: false }));
  await container.db.initialize();
  const server = createApp(container).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/c/${process.env.TZ_BENCH_SLUG}`;
  const page = async (tz: string) => {
    const res = await fetch(`${base}?tz=${encodeURIComponent(tz)}`, { headers: { Accept: 'text/html' } });
    await res.text();
    if (res.status !== 200) throw new Error(`page answered ${res.status}`);
  };
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const count = Number(process.env.TZ_BENCH_SPELLINGS);
  const requestAll = async (zones: string[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < zones.length) await page(zones[next++]!);
      }),
    );
  };
  // As many requests with one spelling first: the allocator's own growth under load is in "before".
  await requestAll(Array.from({ length: count }, () => ZONE));
  gc();
  const before = process.memoryUsage();
  await requestAll(spellingsOf(ZONE, count));
  gc();
  const after = process.memoryUsage();
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const result: TzMemoryResult = {
    spellings: count,
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    heapBeforeMb: mb(before.heapUsed),
    heapAfterMb: mb(after.heapUsed),
  };
  console.log(JSON.stringify(result));
  server.close();
  await closeContainer(container);
}

if (process.argv.includes(CHILD_FLAG)) {
  runChild().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
