import v8 from 'node:v8';

const FLAG = '--heap-growing-percent';

/**
 * The V8 flag that HEAP_GROWING_PERCENT asks for, or null: none when it is 0 (V8's own heuristics)
 * or when the operator set the flag on the command line or in NODE_OPTIONS (theirs wins).
 *
 * Why: after each full collection V8 lets the old generation grow up to about four times what was
 * live before the next one, and a worker pushing hundreds of runs a second promotes tens of
 * megabytes of short-lived objects a second: a 20,000-run campaign took the worker from 140 MB to
 * 307 MB of RSS with some 70 MB live. Growing by at most `percent` per cent (100: doubling) keeps
 * that near 200 MB for no measurable CPU (docs/performance.md). Unlike --max-old-space-size it sets
 * no ceiling: a process that really needs more memory gets it, later collected more often.
 */
export function heapGrowthFlag(
  percent: number,
  given: { execArgv: readonly string[]; nodeOptions: string | undefined },
): string | null {
  if (percent <= 0) return null;
  const named = (arg: string) => arg === FLAG || arg.startsWith(`${FLAG}=`) || arg.startsWith('--heap_growing_percent');
  if (given.execArgv.some(named) || (given.nodeOptions ?? '').split(/\s+/).some(named)) return null;
  return `${FLAG}=${percent}`;
}

/** Applies HEAP_GROWING_PERCENT to this process's V8 (read at every full collection, so it may be set at start-up). */
export function applyHeapGrowth(percent: number): string | null {
  const flag = heapGrowthFlag(percent, { execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS });
  if (flag) v8.setFlagsFromString(flag);
  return flag;
}
