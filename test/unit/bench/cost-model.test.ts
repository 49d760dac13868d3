import { openLoop, closedLoop, p99BySlice } from '../../../bench/http-load';
import { summariseProfile } from '../../../bench/profile-summary';
import { classify } from '../../../bench/statement-probe';

describe('the bench cost model', () => {
  it('counts a transaction block as one transaction and leaves savepoints inside it', () => {
    expect(classify('START TRANSACTION').kind).toBe('begin');
    expect(classify('begin').kind).toBe('begin');
    expect(classify('COMMIT').kind).toBe('end');
    expect(classify('ROLLBACK').kind).toBe('end');
    expect(classify('ROLLBACK TO SAVEPOINT typeorm_1').kind).toBe('other');
    expect(classify('SELECT  id\n  FROM runs').key).toBe('SELECT id FROM runs');
  });

  it('charges native writes to the package that called them and leaves idle time out', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('query', 'file:///app/node_modules/pg/lib/client.js'), children: [5] },
        { id: 4, callFrame: frame('render', 'file:///app/node_modules/handlebars/lib/index.js') },
        { id: 5, callFrame: frame('writev') },
      ],
      startTime: 0,
      endTime: 10_000,
      // A sample's time is the gap to the next one: 1 ms each here, the last one none.
      samples: [2, 2, 5, 5, 5, 3, 4, 4],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    });
    expect(summary.idleMs).toBe(2);
    expect(summary.writesMs).toBe(3);
    expect(summary.byOwner[0]).toEqual(['node_modules/pg', 4]);
    expect(summary.byFile.find(([file]) => file === '(native)')).toEqual(['(native)', 3]);
  });

  it('times an open loop from when each request was due, so a slow server cannot hide its queue', async () => {
    // One request at a time, 50 ms each, offered 100 a second: the tenth waits for the nine before it.
    let busy = Promise.resolve();
    const serve = () => (busy = busy.then(() => new Promise((resolve) => setTimeout(resolve, 50))));
    const open = await openLoop(100, 0.1, () => serve());
    expect(open.sent).toBe(10);
    expect(Math.max(...open.latencies)).toBeGreaterThan(350);
    expect(open.samples).toHaveLength(10);
    // By due time, the queue grows through the run: the second half's requests waited longer.
    const [first, second] = p99BySlice(open.samples, 50);
    expect(second!).toBeGreaterThan(first!);
    // The same server in a closed loop of one connection looks fast: 50 ms every time, against the
    // open loop's queue (compared with each other, not with a clock: a loaded machine slows both).
    busy = Promise.resolve();
    const closed = await closedLoop(10, 1, () => serve());
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(closed.latencies) * 2).toBeLessThan(median(open.latencies));
  });
  it('gives each slice of an open loop its own p99, by due time', () => {
    const samples: [number, number][] = [
      ...Array.from({ length: 100 }, (_, i): [number, number] => [i * 10, 5]),
      ...Array.from({ length: 100 }, (_, i): [number, number] => [1000 + i * 10, i === 50 ? 900 : 8]),
    ];
    expect(p99BySlice(samples, 1000)).toEqual([5, 900]);
    expect(p99BySlice([[2500, 7]], 1000)).toEqual([NaN, NaN, 7]);
  });
});
