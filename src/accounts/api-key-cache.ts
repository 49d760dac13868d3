import { listenToChannel, type ChannelListener } from '../db/pg-listen';
import type { Logger } from '../lib/logger';
import { API_KEY_CHANNEL, type ApiKeyRow } from './api-key-store';

export interface ApiKeyCacheOptions {
  /** How long a looked-up key is answered from memory. */
  ttlMs: number;
  /** Keys remembered at most; the oldest is forgotten first. Default 10,000. */
  maxEntries?: number;
}

/**
 * An API process's memory of the live keys it looked up, by their SHA-256 (never the key), so that a
 * request need not read api_keys each time. Only while it hears every revocation: it is used only
 * while its LISTEN on API_KEY_CHANNEL is in place, forgets a key the moment its revocation's
 * notification arrives (from any process: the API, the console, the CLI), and forgets everything
 * when the listening connection is lost, since revocations may go unheard until it is back. Unknown
 * and revoked keys are never remembered: a new key works at once, a wrong one costs a lookup.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { row: ApiKeyRow; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private trusted = false;
  private heard = 0;

  constructor(options: ApiKeyCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The live key of this hash, when remembered and fresh; undefined means "look it up". */
  get(hash: string, now = Date.now()): ApiKeyRow | undefined {
    if (!this.trusted) return undefined;
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until > now) return entry.row;
    this.entries.delete(hash);
    return undefined;
  }

  /**
   * What has been heard so far: taken before a lookup and handed to `remember`, so that a key read
   * before a revocation was heard, and answered after it, is not remembered.
   */
  get generation(): number {
    return this.heard;
  }

  /** Remembers a live key read since `generation` (not when a revocation was heard meanwhile, nor when they may go unheard). */
  remember(hash: string, row: ApiKeyRow, generation: number, now = Date.now()): void {
    if (!this.trusted || generation !== this.heard || row.revoked_at !== null || this.ttlMs <= 0) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { row, until: now + this.ttlMs });
  }

  /** A revocation was heard: the key is looked up again from the next request on. */
  forgetKey(keyId: string): void {
    // (An empty id, or one of no remembered key, still counts as heard: lookups in flight are not remembered.)
    this.heard++;
    for (const [hash, entry] of this.entries) if (entry.row.id === keyId) this.entries.delete(hash);
  }

  /** Whether revocations are heard: only then is anything remembered or answered. */
  trust(heard: boolean): void {
    this.trusted = heard;
    this.heard++;
    this.entries.clear();
  }

  /** Whether revocations are heard right now (the LISTEN is in place): only then is the cache used. */
  get hearsRevocations(): boolean {
    return this.trusted;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The API role's key cache, listening for revocations on a connection of its own; `close` ends it.
 * With `ttlMs` 0 there is no cache and no connection: every request reads its key.
 */
export function startApiKeyCache(
  databaseUrl: string,
  log: Logger,
  options: ApiKeyCacheOptions,
): { cache: ApiKeyCache | undefined; close(): Promise<void> } {
  if (options.ttlMs <= 0) return { cache: undefined, close: async () => undefined };
  const cache = new ApiKeyCache(options);
  const listener: ChannelListener = listenToChannel(databaseUrl, API_KEY_CHANNEL, log, {
    onNotification: (keyId) => cache.forgetKey(keyId),
    onListening: () => cache.trust(true),
    onLost: () => cache.trust(false),
  });
  return {
    cache,
    close: async () => {
      cache.trust(false);
      await listener.close();
    },
  };
}
