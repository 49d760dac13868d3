import { GroupCommit } from '../../../src/lib/group-commit';

/** A promise settled from outside: a flush held open until the test lets it commit. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const fulfilled = <O>(value: O): Promise<O> => Promise.resolve(value);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('a group commit', () => {
  it('flushes the items submitted together as one batch and answers each its own result', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, string>({
      maxBatch: 100,
      flush: async (items) => {
        batches.push(items);
        return items.map((item) => fulfilled(`done ${item}`));
      },
    });
    const results = await Promise.all([1, 2, 3].map((item) => group.submit(item)));
    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes a lone item at once on an idle writer, without waiting for company', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>({
      maxBatch: 100,
      flush: async (items) => (batches.push(items), items.map(fulfilled)),
    });
    const result = group.submit(7);
    await turn();
    expect(batches).toEqual([[7]]);
    await expect(result).resolves.toBe(7);
  });

  it('answers nobody before the flush has committed, and gathers what arrives meanwhile into the next batch', async () => {
    const batches: number[][] = [];
    const held = gate();
    const group = new GroupCommit<number, number>({
      maxBatch: 100,
      flush: async (items) => {
        batches.push(items);
        if (batches.length === 1) await held.promise;
        return items.map(fulfilled);
      },
    });
    let answered = false;
    const first = group.submit(1).then((value) => ((answered = true), value));
    await turn();
    const later = [2, 3, 4].map((item) => group.submit(item));
    await turn();
    await turn();
    // The first flush is still in flight: its caller waits, and the later items wait for it.
    expect(answered).toBe(false);
    expect(batches).toEqual([[1]]);
    held.open();
    await expect(first).resolves.toBe(1);
    await expect(Promise.all(later)).resolves.toEqual([2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts two items with one key in a batch, and keeps the order of the others', async () => {
    const batches: string[][] = [];
    const group = new GroupCommit<string, string>({
      maxBatch: 100,
      keyOf: (item) => item.split(':')[0]!,
      flush: async (items) => (batches.push(items), items.map(fulfilled)),
    });
    await Promise.all(['a:1', 'b:1', 'a:2', 'c:1', 'a:3'].map((item) => group.submit(item)));
    expect(batches).toEqual([['a:1', 'b:1', 'c:1'], ['a:2'], ['a:3']]);
  });

  it('never puts two items that share any of their keys in a batch (an item of several rows)', async () => {
    const batches: string[][] = [];
    const group = new GroupCommit<string, string>({
      maxBatch: 100,
      // "run/contact": a finish keyed by its run and by the contact it writes.
      keyOf: (item) => item.split('/'),
      flush: async (items) => (batches.push(items), items.map(fulfilled)),
    });
    await Promise.all(['r1/x', 'r2/x', 'r3/y', 'r1/z', 'r4/w'].map((item) => group.submit(item)));
    expect(batches).toEqual([
      ['r1/x', 'r3/y', 'r4/w'],
      ['r2/x', 'r1/z'],
    ]);
  });

  it('flushes at most maxBatch items at a time', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number, number>({
      maxBatch: 4,
      flush: async (items) => (sizes.push(items.length), items.map(fulfilled)),
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => group.submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('rejects every item of a batch whose flush threw, and goes on with the next batch', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>({
      maxBatch: 2,
      flush: async (items) => {
        calls++;
        if (calls === 1) throw new Error('deadlock detected');
        return items.map(fulfilled);
      },
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => group.submit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('deadlock detected'));
  });

  it('rejects only the item whose own answer is an error', async () => {
    const group = new GroupCommit<number, number>({
      maxBatch: 100,
      flush: async (items) =>
        items.map((item) => (item === 2 ? Promise.reject(new Error('refused')) : Promise.resolve(item))),
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => group.submit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('answers each item when its own answer settles, and starts the next batch without waiting for a slow one', async () => {
    const slow = gate();
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>({
      maxBatch: 2,
      flush: async (items) => {
        batches.push(items);
        return items.map((item) => (item === 1 ? slow.promise.then(() => item) : Promise.resolve(item)));
      },
    });
    const [first, second, third] = [1, 2, 3].map((item) => group.submit(item));
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(3);
    expect(batches).toEqual([[1, 2], [3]]);
    slow.open();
    await expect(first).resolves.toBe(1);
  });

  it('rejects a batch the flush answered for only some of its items', async () => {
    const group = new GroupCommit<number, number>({
      maxBatch: 100,
      flush: async (items) => items.slice(1).map(fulfilled),
    });
    const outcomes = await Promise.allSettled([1, 2].map((item) => group.submit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('drains: settles only once every item submitted so far has been flushed', async () => {
    const held = gate();
    const flushed: number[] = [];
    const group = new GroupCommit<number, number>({
      maxBatch: 1,
      flush: async (items) => {
        await held.promise;
        flushed.push(...items);
        return items.map(fulfilled);
      },
    });
    const submitted = [1, 2, 3].map((item) => group.submit(item));
    let drained = false;
    const draining = group.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    held.open();
    await draining;
    expect(flushed).toEqual([1, 2, 3]);
    expect(group.size).toBe(0);
    await Promise.all(submitted);
  });
});
