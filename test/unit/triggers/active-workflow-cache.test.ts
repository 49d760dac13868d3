import { ActiveWorkflowCache, fingerprintOf, MAX_KEYS } from '../../../src/triggers/active-workflow-cache';
import type { ActiveWorkflowSet } from '../../../src/workflows/workflow-repository';

const setOf = (...seen: [string, number][]): ActiveWorkflowSet => ({
  workflows: [],
  seen: seen.map(([id, version]) => ({ id, version })),
});

describe('ActiveWorkflowCache', () => {
  it('answers only when every key is remembered', () => {
    const cache = new ActiveWorkflowCache();
    const a = setOf();
    cache.set('a', a);
    expect(cache.get(['a'])).toEqual([a]);
    expect(cache.get(['a', 'b'])).toBeUndefined();
  });

  it(`keeps at most ${MAX_KEYS} keys, forgetting the one set longest ago`, () => {
    const cache = new ActiveWorkflowCache();
    for (let i = 0; i < MAX_KEYS; i++) cache.set(`k${i}`, setOf());
    cache.set('k0', setOf()); // set again: now the newest
    cache.set('new', setOf());
    expect(cache.size).toBe(MAX_KEYS);
    expect(cache.get(['k1'])).toBeUndefined();
    expect(cache.get(['k0', 'k2', 'new'])).toHaveLength(3);
  });
});

describe('fingerprintOf', () => {
  it('lists every workflow seen by key index, then in uuid order, as the enrolment statement does', () => {
    const high = 'f0000000-0000-4000-8000-000000000000';
    const low = '0a000000-0000-4000-8000-000000000000';
    const mid = 'a0000000-0000-4000-8000-000000000000';
    expect(fingerprintOf([setOf([high, 3], [low, 1]), setOf(), setOf([mid, 2])])).toBe(
      `0:${low}:1,0:${high}:3,2:${mid}:2`,
    );
    expect(fingerprintOf([setOf(), setOf()])).toBe('');
  });
});
