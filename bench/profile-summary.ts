/**
 * Where a process's CPU went, from a V8 `.cpuprofile` (`node --cpu-prof`, or BENCH_PROFILE=1 of
 * `npm run bench`): self time aggregated by file (a package under node_modules counts as one), the
 * same with Node's internals and native code (socket and file writes, mostly) charged to the
 * package or app file that called them, and the top functions. Idle time is left out of the
 * percentages.
 *
 *   npx tsx bench/profile-summary.ts /tmp/linkflow-bench-worker-123.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..');

/** A package under node_modules as one entry, the app's files by their path, Node's own by module. */
export function fileOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const modules = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file);
  if (modules) return `node_modules/${modules[1]}`;
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byFile: [string, number][];
  /** Node internals and native frames charged to their nearest caller in a package or the app. */
  byOwner: [string, number][];
  /**
   * Inside native write calls (sockets, files). The profiler samples wall time while the process is
   * busy: on a saturated machine a write that wakes PostgreSQL or Redis is often where the process
   * loses the core, so this is partly time spent descheduled. Compare with the process's CPU time.
   */
  writesMs: number;
  byFunction: [string, number][];
}

const WRITES = new Set(['writev', 'writeBuffer', 'writeString', 'writeUtf8String', 'writeLatin1String']);

/** A frame of a package or of the app (not Node's internals, not native code, not V8's pseudo-frames). */
function ownerFile(url: string): boolean {
  return url !== '' && !url.startsWith('node:');
}

export function summariseProfile(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const ownerOf = (id: number): string => {
    const { url, functionName } = nodes.get(id)!.callFrame;
    if (functionName.startsWith('(') && !url) return functionName; // (garbage collector), (program)
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      if (ownerFile(frame.url)) return fileOf(frame.url, frame.functionName);
    }
    return fileOf(url, functionName);
  };
  const selfUs = new Map<number, number>();
  // A sample's time is the gap to the next one (as DevTools counts it).
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + Math.max(0, us));
  }
  const byFile = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  let writesUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    if (!url && WRITES.has(functionName)) writesUs += us;
    const file = fileOf(url, functionName);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    const owner = ownerOf(id);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    const name = `${functionName || '(anonymous)'}  ${url ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([key, us]): [string, number] => [key, us / 1000]);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    byFile: sorted(byFile),
    byOwner: sorted(byOwner),
    byFunction: sorted(byFunction),
    writesMs: writesUs / 1000,
  };
}

export function formatSummary(summary: ProfileSummary, top = 25): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)} %`;
  const lines = [
    `profiled ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s (${((busy / summary.totalMs) * 100).toFixed(0)} %), ` +
      `of which ${(summary.writesMs / 1000).toFixed(1)} s inside native writes (partly descheduled: compare the CPU time)`,
    `top ${top} files by self time (share of busy time):`,
    ...summary.byFile.slice(0, top).map(([file, ms]) => `  ${pct(ms)} ${ms.toFixed(0).padStart(7)} ms  ${file}`),
    `top ${top} by owner (Node internals and native code charged to the package or app file calling them):`,
    ...summary.byOwner.slice(0, top).map(([file, ms]) => `  ${pct(ms)} ${ms.toFixed(0).padStart(7)} ms  ${file}`),
    `top ${top} functions by self time:`,
    ...summary.byFunction.slice(0, top).map(([name, ms]) => `  ${pct(ms)} ${ms.toFixed(0).padStart(7)} ms  ${name}`),
  ];
  return lines.join('\n');
}

export function summariseProfileFile(file: string, top = 25): string {
  return formatSummary(summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile), top);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  const files = args.filter((_, i) => topIndex < 0 || (i !== topIndex && i !== topIndex + 1));
  if (files.length === 0) {
    console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile>… [--top 25]');
    process.exit(1);
  }
  for (const file of files) console.log(`${file}\n${summariseProfileFile(file, top)}\n`);
}
