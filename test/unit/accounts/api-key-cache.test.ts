import { ApiKeyCache } from '../../../src/accounts/api-key-cache';
import type { ApiKeyRow } from '../../../src/accounts/api-key-store';

const key = (id: string, revoked = false): ApiKeyRow => ({
  id,
  account_id: 'account',
  name: id,
  prefix: null,
  scope: 'account',
  created_at: new Date(0),
  last_used_at: null,
  revoked_at: revoked ? new Date(0) : null,
});

describe('the API key cache', () => {
  const hearing = (options = { ttlMs: 1000 }) => {
    const cache = new ApiKeyCache(options);
    cache.trust(true);
    return cache;
  };

  it('answers a live key it read, until its time is up', () => {
    const cache = hearing();
    cache.remember('h1', key('k1'), cache.generation, 0);
    expect(cache.get('h1', 999)?.id).toBe('k1');
    expect(cache.get('h1', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a key whose revocation is heard, and never remembers a revoked one', () => {
    const cache = hearing();
    cache.remember('h1', key('k1'), cache.generation, 0);
    cache.remember('h2', key('k2'), cache.generation, 0);
    cache.forgetKey('k1');
    expect(cache.get('h1', 1)).toBeUndefined();
    expect(cache.get('h2', 1)?.id).toBe('k2');
    cache.remember('h3', key('k3', true), cache.generation, 0);
    expect(cache.get('h3', 1)).toBeUndefined();
  });

  it('does not remember a key read before a revocation was heard and answered after it', () => {
    const cache = hearing();
    const before = cache.generation;
    cache.forgetKey('k1'); // heard while the lookup was in flight
    cache.remember('h1', key('k1'), before, 0);
    expect(cache.get('h1', 1)).toBeUndefined();
  });

  it('answers and remembers nothing while revocations may go unheard, and forgets all when they might have been', () => {
    const cache = new ApiKeyCache({ ttlMs: 1000 });
    cache.remember('h1', key('k1'), cache.generation, 0);
    expect(cache.get('h1', 1)).toBeUndefined();
    cache.trust(true);
    cache.remember('h1', key('k1'), cache.generation, 0);
    cache.trust(false);
    expect(cache.get('h1', 1)).toBeUndefined();
    cache.trust(true);
    expect(cache.get('h1', 1)).toBeUndefined();
  });

  it('keeps at most maxEntries keys, forgetting the oldest first', () => {
    const cache = hearing({ ttlMs: 1000, maxEntries: 2 } as { ttlMs: number });
    for (const id of ['a', 'b', 'c']) cache.remember(id, key(id), cache.generation, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)?.id).toBe('c');
  });
});
