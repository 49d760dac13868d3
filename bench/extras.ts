/**
 * The bench's older rows, kept beside the cost table: emails through SMTP, links minted, bookings
 * in-process, the public pages' memory under hostile `?tz=` spellings, and (last, it fills the
 * database) the per-event cost as finished runs pile up.
 */
import type { TestEnv } from '../test/helpers/test-env';
import { settings } from './bench-context';
import { benchBookings, benchLinkMinting } from './booking';
import { benchEmail } from './email';
import { benchEventCost, type EventCostRow } from './event-cost';
import { benchTzMemory } from './tz-memory';

const scaled = (n: number) => (settings.quick ? Math.max(1, Math.round(n / 10)) : n);

export async function runExtras(env: TestEnv): Promise<[string, string][]> {
  const emails = await benchEmail(env, settings.emails);
  const minting = await benchLinkMinting(env, { count: scaled(2000) });
  const bookings = await benchBookings(env, { count: scaled(2000) });
  const tzMemory = await benchTzMemory(env, { spellings: scaled(5000) });
  return [
    [`emails/s through SMTP to a local sink (send_email, rate limit off, ${settings.emails})`, emails.toFixed(0)],
    ['one-time links minted/s (mint service, 50 concurrent)', minting.linksPerSec.toFixed(0)],
    [
      '(d, in-process) booking POSTs/s (HTTP to an app in the bench process, 50 conn., distinct links)',
      bookings.bookingsPerSec.toFixed(0),
    ],
    ['(d, in-process) booking POST latency p50 / p99', `${bookings.p50.toFixed(1)} / ${bookings.p99.toFixed(1)} ms`],
    ['(d, in-process) booking POSTs not answered 201 (should be 0)', String(bookings.failures)],
    [
      `public page RSS before → after ${tzMemory.spellings} ?tz= spellings of one zone (child process)`,
      `${tzMemory.rssBeforeMb.toFixed(0)} → ${tzMemory.rssAfterMb.toFixed(0)} MB`,
    ],
  ];
}

export function printExtras(rows: [string, string][]): void {
  console.log('');
  for (const [label, value] of rows) console.log(`${label.padEnd(96)} ${value}`);
}

export async function runHistory(env: TestEnv): Promise<EventCostRow[]> {
  const rows = await benchEventCost(env);
  console.log('\nper-event cost as finished runs pile up (processEvent, one event at a time)');
  console.log(`${'finished runs'.padEnd(16)}${'ms/event'.padEnd(12)}${'p99 ms'.padEnd(12)}statements/event`);
  for (const row of rows) {
    console.log(
      `${String(row.finishedRuns).padEnd(16)}${row.msPerEvent.toFixed(2).padEnd(12)}${row.p99Ms.toFixed(2).padEnd(12)}${row.statementsPerEvent.toFixed(1)}`,
    );
  }
  return rows;
}
