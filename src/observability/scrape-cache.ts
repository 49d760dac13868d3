export interface ScrapeCacheOptions {
  /** How long one computation answers every scrape, in ms. Default: 15000 (a common scrape interval). */
  windowMs?: number;
  /** The clock, in ms since the epoch. Default: `Date.now` (tests pass their own). */
  now?: () => number;
}

export const DEFAULT_SCRAPE_WINDOW_MS = 15_000;

/**
 * `compute` at most once per window, whatever the request rate: the first call starts it, and every
 * call until the window has passed gets that same promise, including calls that arrive while it is
 * still running (single flight). The window counts from the start of a computation, and a new one
 * never starts while one is in flight, so N scrapers (or an attacker) cost one count per window.
 */
export function cachedPerWindow<T>(compute: () => Promise<T>, options: ScrapeCacheOptions = {}): () => Promise<T> {
  const windowMs = options.windowMs ?? DEFAULT_SCRAPE_WINDOW_MS;
  const now = options.now ?? Date.now;
  let current: { promise: Promise<T>; startedAt: number; settled: boolean } | null = null;
  return () => {
    if (current && (!current.settled || now() - current.startedAt < windowMs)) return current.promise;
    const entry = { promise: compute(), startedAt: now(), settled: false };
    const settle = () => {
      entry.settled = true;
    };
    entry.promise.then(settle, settle);
    current = entry;
    return entry.promise;
  };
}
