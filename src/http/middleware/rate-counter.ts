import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/logger';

/** How often a process sends the counts it took locally, at most (ms). */
export const RATE_COUNT_FLUSH_MS = 20;
/** Clients a process remembers at most between flushes, beyond those with counts still to send. */
const MAX_REMEMBERED = 50_000;
/** A window's key outlives its minute so that a late flush still lands in it. */
const KEY_TTL_SECONDS = 120;
/** Windows sent in one script call at most. */
const WINDOWS_PER_CALL = 1000;

/**
 * Adds counts to windows in one call (one command for the client to encode and parse, however many
 * windows): KEYS the windows, ARGV[1] their time to live, ARGV[1 + i] the count for KEYS[i]. A new
 * window gets its time to live; every window's total is returned, in order.
 */
const ADD_COUNTS = `
local totals = {}
for i, key in ipairs(KEYS) do
  local count = tonumber(ARGV[i + 1])
  local total = redis.call('INCRBY', key, count)
  if total == count then redis.call('EXPIRE', key, ARGV[1]) end
  totals[i] = total
end
return totals
`;

export interface RateCounterOptions {
  redis: Redis;
  /** QUEUE_PREFIX: two deployments on one Redis keep separate counts. */
  prefix: string;
  /** The budget per client and minute (> 0). */
  limit: number;
  logger: Logger;
  /** Default RATE_COUNT_FLUSH_MS. */
  flushMs?: number;
  /** The clock (tests). Default Date.now. */
  now?: () => number;
}

/**
 * Counts requests per client and calendar minute for every API process together, in Redis
 * (`<prefix>:ratelimit:<client>:<minute>`), without a Redis round trip on most requests.
 *
 * A client far below the budget is counted locally and its count sent with every other client's in
 * one script call (`INCRBY`, and `EXPIRE` for a new window) at most every `flushMs`; each answer is
 * the window's total over all processes, which the process remembers. Once this process's estimate (the total it last heard
 * plus what it counted since) passes half the budget, every request of that client is counted in
 * Redis before it is answered, so the decision near the limit is the shared one. What this can miss
 * is the requests other processes counted locally in their last `flushMs`: a client already near
 * the limit is counted exactly everywhere.
 *
 * If Redis cannot answer, the local counts are kept (and sent once it can): the budget then holds per
 * process, and the pages stay up.
 */
export interface RateCounter {
  /** This request's number in its client's current window, this request included. */
  count(client: string): number | Promise<number>;
  /** Sends the counts not sent yet now (tests). A stopping process loses at most `flushMs` of counts. */
  flush(): Promise<void>;
  /** Windows remembered (tests: memory stays bounded). */
  remembered(): number;
}

interface Window {
  key: string;
  minute: number;
  /** The window's total over all processes, as Redis last answered it. */
  shared: number;
  /** Requests this process counted and has not sent. */
  pending: number;
}

export function createRateCounter(options: RateCounterOptions): RateCounter {
  const now = options.now ?? Date.now;
  const flushMs = options.flushMs ?? RATE_COUNT_FLUSH_MS;
  const windows = new Map<string, Window>();
  /** The windows with counts to send: a flush reads these, not every window remembered. */
  const unsent = new Set<Window>();
  /** `count` more to send for `window`. */
  const owe = (window: Window, count: number) => {
    window.pending += count;
    if (window.pending > 0) unsent.add(window);
  };
  /** Takes what `window` has to send. */
  const take = (window: Window): number => {
    const count = window.pending;
    window.pending = 0;
    unsent.delete(window);
    return count;
  };
  let timer: NodeJS.Timeout | null = null;
  let currentMinute = 0;
  let failing = false;

  const unavailable = (error: unknown) => {
    if (!failing)
      options.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'rate limit counts not shared (Redis unavailable): each process counts on its own',
      );
    failing = true;
  };

  const heard = (window: Window, total: number | undefined) => {
    if (typeof total === 'number') window.shared = Math.max(window.shared, total);
    failing = false;
  };

  const windowOf = (client: string, minute: number): Window => {
    const key = `${options.prefix}:ratelimit:${client}:${minute}`;
    let window = windows.get(key);
    if (!window) {
      window = { key, minute, shared: 0, pending: 0 };
      windows.set(key, window);
    }
    return window;
  };

  /**
   * Forgets windows with nothing to send: past minutes' (when the minute turns), and the current
   * minute's too when too many are remembered (a forgotten window's total is heard again at its
   * client's next flush).
   */
  const forget = (minute: number) => {
    const crowded = windows.size > MAX_REMEMBERED;
    for (const [key, window] of windows)
      if (window.pending === 0 && (window.minute < minute || crowded)) windows.delete(key);
  };

  /** Adds `counts` to `batch`'s windows in Redis; resolves with their totals. */
  const addCounts = async (batch: Window[], counts: number[]): Promise<number[]> => {
    const totals: number[] = [];
    for (let start = 0; start < batch.length; start += WINDOWS_PER_CALL) {
      const windows = batch.slice(start, start + WINDOWS_PER_CALL);
      const answer = (await options.redis.eval(
        ADD_COUNTS,
        windows.length,
        ...windows.map((window) => window.key),
        KEY_TTL_SECONDS,
        ...counts.slice(start, start + WINDOWS_PER_CALL),
      )) as number[];
      totals.push(...answer);
    }
    return totals;
  };

  const send = async (): Promise<void> => {
    const batch = [...unsent];
    const sent = batch.map(take);
    try {
      if (batch.length > 0) {
        const totals = await addCounts(batch, sent);
        batch.forEach((window, index) => heard(window, totals[index]));
      }
    } catch (error) {
      // Kept, to be sent with the next flush; meanwhile they count locally.
      batch.forEach((window, index) => owe(window, sent[index]!));
      unavailable(error);
    }
    if (windows.size > MAX_REMEMBERED) forget(Math.floor(now() / 60_000));
  };

  // One flush at a time (send never rejects): one asked for during another runs after it.
  let flushes: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    flushes = flushes.then(send);
    return flushes;
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => void flush(), flushMs);
    timer.unref();
  };

  /**
   * Counted in Redis before the answer: this request and whatever this process had not sent for
   * the window. Its number is the window's total then.
   */
  const countShared = async (window: Window): Promise<number> => {
    const count = take(window);
    try {
      const [total] = await addCounts([window], [count]);
      heard(window, total);
      return total!;
    } catch (error) {
      owe(window, count);
      schedule();
      unavailable(error);
      return window.shared + window.pending;
    }
  };

  return {
    count(client) {
      const minute = Math.floor(now() / 60_000);
      if (minute !== currentMinute) {
        currentMinute = minute;
        forget(minute);
      }
      const window = windowOf(client, minute);
      owe(window, 1);
      if (window.shared + window.pending > options.limit / 2) return countShared(window);
      schedule();
      return window.shared + window.pending;
    },
    flush,
    remembered: () => windows.size,
  };
}
