import { LastUsedThrottle } from '../../../src/accounts/last-used-throttle';

describe('the "last used" throttle of a process', () => {
  it('lets one of 50 uses within a minute write, then the first use after the minute', () => {
    const throttle = new LastUsedThrottle({ intervalMs: 60_000 });
    const start = 1_000_000;
    const claims = Array.from({ length: 50 }, (_, i) => throttle.claim('key-a', start + i * 1000));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims[0]).toBe(true);
    expect(throttle.claim('key-a', start + 59_999)).toBe(false);
    expect(throttle.claim('key-a', start + 60_000)).toBe(true);
  });

  it('throttles each key on its own', () => {
    const throttle = new LastUsedThrottle({ intervalMs: 60_000 });
    expect(throttle.claim('key-a', 0)).toBe(true);
    expect(throttle.claim('key-b', 1)).toBe(true);
    expect(throttle.claim('key-a', 2)).toBe(false);
  });

  it('forgets keys it wrote more than a minute ago once it holds too many', () => {
    const throttle = new LastUsedThrottle({ intervalMs: 60_000, maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) throttle.claim(key, 0);
    throttle.claim('d', 61_000);
    expect(throttle.size).toBe(1);
    expect(throttle.claim('d', 61_001)).toBe(false);
  });
});
