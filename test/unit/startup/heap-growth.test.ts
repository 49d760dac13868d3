import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { heapGrowthFlag } from '../../../src/startup/heap-growth';
import { loadConfig } from '../../../src/config/env';

const none = { execArgv: [], nodeOptions: undefined };

describe('HEAP_GROWING_PERCENT (src/startup/heap-growth.ts)', () => {
  it('defaults to 100: the old generation may double past what was live', () => {
    expect(loadConfig({}).HEAP_GROWING_PERCENT).toBe(100);
    expect(heapGrowthFlag(100, none)).toBe('--heap-growing-percent=100');
    expect(heapGrowthFlag(35, none)).toBe('--heap-growing-percent=35');
  });

  it("leaves V8's own heuristics at 0, and refuses what is no percentage", () => {
    expect(heapGrowthFlag(0, none)).toBeNull();
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it("lets the operator's own flag win, on the command line or in NODE_OPTIONS", () => {
    expect(heapGrowthFlag(100, { execArgv: ['--heap-growing-percent=20'], nodeOptions: undefined })).toBeNull();
    expect(
      heapGrowthFlag(100, { execArgv: [], nodeOptions: '--max-old-space-size=512 --heap-growing-percent=50' }),
    ).toBeNull();
    expect(heapGrowthFlag(100, { execArgv: ['--heap_growing_percent=50'], nodeOptions: '' })).toBeNull();
    expect(heapGrowthFlag(100, { execArgv: ['--max-old-space-size=512'], nodeOptions: '--enable-source-maps' })).toBe(
      '--heap-growing-percent=100',
    );
  });

  it('is a flag this V8 takes at run time', () => {
    // setFlagsFromString ignores a name it does not know; V8 prints its known flags on --help.
    const known = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(known).toMatch(/--heap-growing-percent \(specifies heap growing factor/);
    const script = `require(${JSON.stringify(path.resolve('node_modules/tsx/dist/cjs/index.cjs'))});
      const { applyHeapGrowth } = require(${JSON.stringify(path.resolve('src/startup/heap-growth.ts'))});
      process.stdout.write(String(applyHeapGrowth(100)));`;
    const child = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('--heap-growing-percent=100');
  });
});
