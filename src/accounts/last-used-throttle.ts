export interface LastUsedThrottleOptions {
  /** A key's "last used" is written at most this often by one process. Default 60000 ms. */
  intervalMs?: number;
  /** Keys remembered before those written more than an interval ago are forgotten. Default 10000. */
  maxEntries?: number;
}

/**
 * This process's memory of when it last wrote each key's "last used": within the interval it does
 * not even send the UPDATE (whose own guard keeps the processes together to once a minute).
 */
export class LastUsedThrottle {
  private readonly writtenAt = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxEntries: number;

  constructor(options: LastUsedThrottleOptions = {}) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** True when this use should be written; the key then counts as written at `now`. */
  claim(keyId: string, now = Date.now()): boolean {
    const last = this.writtenAt.get(keyId);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (last === undefined && this.writtenAt.size >= this.maxEntries) this.forgetStale(now);
    this.writtenAt.set(keyId, now);
    return true;
  }

  get size(): number {
    return this.writtenAt.size;
  }

  private forgetStale(now: number): void {
    for (const [keyId, at] of this.writtenAt) if (now - at >= this.intervalMs) this.writtenAt.delete(keyId);
  }
}
