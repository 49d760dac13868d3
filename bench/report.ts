/**
 * The bench's answer: one table of every path (throughput, latency, cost per unit of work, and the
 * issue's "must reach" figure beside), where the first path's statements and Redis commands go, and
 * the same as JSON in bench/results/latest.json for the README and docs/performance.md to quote.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import type { PathResult } from './bench-context';

const LABELS: Record<string, string> = {
  a: '(a) 4-step run, contacts over HTTP',
  b: '(b) 4-step run, in-process',
  c: '(c) campaign by tag, 3 steps',
  d: '(d) booking, 50 conn. closed loop',
  e: '(e) booking, fixed rate, open loop',
  f: '(f) one run while a campaign drains',
  g: '(g) one run on an idle engine',
  idle: 'the app idle (per second)',
  bare: 'bare BullMQ no-op jobs',
};

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function cpuText(result: PathResult): string {
  const cost = result.cost;
  if (!cost) return '–';
  const parts = result.appProcesses.map((name) => `${name} ${fixed(cost.cpuMs[name] ?? NaN, 2)}`);
  const total = result.appProcesses.reduce((sum, name) => sum + (cost.cpuMs[name] ?? 0), 0);
  return parts.length > 1 ? `${parts.join(' + ')} = ${fixed(total, 2)}` : fixed(total, 2);
}

function row(result: PathResult): string[] {
  const cost = result.cost;
  const latency = result.latency
    ? `p50 ${fixed(result.latency.p50, result.latency.p50 < 100 ? 1 : 0)} / p99 ${fixed(result.latency.p99, result.latency.p99 < 100 ? 1 : 0)} ms`
    : '–';
  return [
    LABELS[result.key] ?? result.key,
    result.throughput ? `${fixed(result.throughput.perSec, 0)} ${result.throughput.label}` : '–',
    latency,
    cost ? fixed(cost.pgCommits) : '–',
    cost ? fixed(cost.statements) : '–',
    cost ? fixed(cost.redisCommands) : '–',
    cpuText(result),
    cost ? `${fixed(cost.serverCpuMs.postgres, 2)} + ${fixed(cost.serverCpuMs.redis, 2)}` : '–',
    result.target,
  ];
}

const HEADER = [
  'path',
  'throughput',
  'latency',
  'PG commits/unit',
  'PG statements/unit',
  'Redis cmds/unit',
  'app CPU ms/unit',
  'PG + Redis CPU ms/unit',
  'must reach',
];

/** A Markdown table, padded so it also reads in a terminal. */
export function markdownTable(results: PathResult[]): string {
  const rows = [HEADER, ...results.map(row)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function printReport(results: PathResult[]): void {
  console.log('\n' + markdownTable(results));
  const first = results.find((result) => result.key === 'a');
  const bare = results.find((result) => result.key === 'bare');
  if (first?.throughput && bare?.throughput)
    console.log(
      `\n(a) runs/s : bare BullMQ jobs/s = 1 : ${fixed(bare.throughput.perSec / first.throughput.perSec)} (the issue aims at 1 : 16)`,
    );
  // A ratio of costs holds when the machine's load moved between the two measurements; one of rates does not.
  if (first?.cost && bare?.cost)
    console.log(
      `(a) costs as many Redis commands as ${fixed(first.cost.redisCommands / bare.cost.redisCommands)} bare no-op jobs per run`,
    );
  console.log(
    '\nUnits: per run, per booking, per job; "the app idle" is per second. App CPU: the app processes only; ' +
      "PG CPU: the backends of the bench's database; Redis CPU: the bench's private redis-server.",
  );
  for (const result of results) {
    const cost = result.cost;
    const lines = [...result.notes];
    if (cost) {
      const others = Object.entries(cost.cpuMs).filter(([name]) => !result.appProcesses.includes(name));
      if (others.length > 0)
        lines.push(
          `not the app: ${others.map(([name, ms]) => `${name} ${fixed(ms, 2)} ms/${result.unit}`).join(', ')}`,
        );
      const switches = result.appProcesses
        .map(
          (name) =>
            cost.contextSwitches[name] &&
            `${name} ${fixed(cost.contextSwitches[name].voluntary)} + ${fixed(cost.contextSwitches[name].involuntary)}`,
        )
        .filter(Boolean);
      if (switches.length > 0)
        lines.push(`context switches/${result.unit} (voluntary + involuntary): ${switches.join(', ')}`);
      lines.push(
        `commits as the probes counted them ${fixed(cost.pgCommitsByProbes)}/${result.unit}; rollbacks in the window ${cost.pgRollbacks}; window ${fixed(cost.seconds)} s`,
      );
    }
    console.log(`\n${LABELS[result.key] ?? result.key}: ${result.path}`);
    for (const line of lines) console.log(`  ${line}`);
  }
  // (a)'s and the booking's (d) breakdowns: where each unit's statements and Redis commands go.
  for (const key of ['a', 'd']) {
    const result = results.find((candidate) => candidate.key === key);
    if (!result?.cost) continue;
    console.log(`\nWhere (${key})'s statements go (per ${result.unit}):`);
    for (const [sql, n] of result.cost.topStatements.slice(0, 20)) console.log(`  ${fixed(n, 2).padStart(6)}  ${sql}`);
    console.log(`Where (${key})'s Redis commands go (per ${result.unit}):`);
    for (const [command, n] of result.cost.topRedis.slice(0, 15))
      console.log(`  ${fixed(n, 2).padStart(6)}  ${command}`);
  }
}

/** Written as Prettier would (the repository's `prettier --check .` sees the file). */
export async function writeReport(file: string, results: PathResult[], extra: Record<string, unknown>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const report = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: os.totalmem() / 2 ** 30,
      node: process.version,
      /** 1, 5 and 15 minutes, when the report was written: what else the cores were doing. */
      loadAverage: os.loadavg(),
    },
    ...extra,
    table: markdownTable(results),
    results,
  };
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(report), { ...options, parser: 'json' }));
}
