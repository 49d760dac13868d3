import { cachedPerWindow } from '../../../src/observability/scrape-cache';

/** A computation the test finishes by hand, counting how often it was started. */
function controlled() {
  const finishers: (() => void)[] = [];
  let started = 0;
  const compute = () => {
    started += 1;
    const run = started;
    return new Promise<number>((resolve) => finishers.push(() => resolve(run)));
  };
  return { compute, started: () => started, finishAll: () => finishers.splice(0).forEach((finish) => finish()) };
}

describe('a value cached per scrape window', () => {
  it('is computed once for every call of its window, including those that arrive while it runs', async () => {
    let clock = 0;
    const source = controlled();
    const get = cachedPerWindow(source.compute, { windowMs: 15_000, now: () => clock });
    const concurrent = Array.from({ length: 20 }, () => get());
    source.finishAll();
    expect(await Promise.all(concurrent)).toEqual(Array(20).fill(1));
    clock = 14_999;
    expect(await get()).toBe(1);
    expect(source.started()).toBe(1);
  });

  it('is computed afresh once the window has passed, and never twice at the same time', async () => {
    let clock = 0;
    const source = controlled();
    const get = cachedPerWindow(source.compute, { windowMs: 15_000, now: () => clock });
    const first = get();
    clock = 60_000; // the first computation is still running, far past its window: it is shared
    const late = get();
    source.finishAll();
    expect(await Promise.all([first, late])).toEqual([1, 1]);
    const next = [get(), get()];
    source.finishAll();
    expect(await Promise.all(next)).toEqual([2, 2]);
    expect(source.started()).toBe(2);
  });
});
