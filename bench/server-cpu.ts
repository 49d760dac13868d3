/**
 * CPU time of the servers on the work's behalf: PostgreSQL's backends connected to the bench's
 * database (`/proc/<pid>/stat`, when PostgreSQL runs on this machine and /proc is readable), and the
 * private redis-server (`INFO cpu`, all of it the bench's). What sizing PostgreSQL and Redis needs.
 *
 * A backend that exits inside a window (the pool closes a connection idle for 10 s) takes its CPU
 * time with it: under steady load that is rare, so the PostgreSQL figure is a close lower bound.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import type { Redis } from 'ioredis';

export interface ServerCpu {
  /** CPU ms so far of each backend of the database, by pid; null when /proc cannot be read. */
  backends: Map<number, number> | null;
  redisMs: number;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

const TICKS_PER_SEC = clockTicks();

/** utime + stime of a process in ms, or null when it is gone or unreadable. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC) * 1000;
  } catch {
    return null;
  }
}

export async function readServerCpu(stats: Client, database: string, redis: Redis): Promise<ServerCpu> {
  const { rows } = await stats.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  let backends: Map<number, number> | null = new Map();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms === null) {
      backends = null;
      break;
    }
    backends.set(pid, ms);
  }
  const info = await redis.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return { backends, redisMs: (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1000 };
}

/** PostgreSQL (NaN when unknown) and Redis CPU ms between two readings. */
export function serverCpuBetween(a: ServerCpu, b: ServerCpu): { pgMs: number; redisMs: number } {
  let pgMs = NaN;
  if (a.backends && b.backends) {
    pgMs = 0;
    // A backend started inside the window counts from zero: its start-up is the window's cost too.
    for (const [pid, ms] of b.backends) pgMs += ms - (a.backends.get(pid) ?? 0);
  }
  return { pgMs, redisMs: b.redisMs - a.redisMs };
}
