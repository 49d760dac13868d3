/**
 * The app as a user runs it, for the over-HTTP paths: `src/main.ts --role api` and `--role worker`
 * as two child processes side by side, each with the statement probe preloaded, so the bench can
 * ask each one for its statement counts, CPU time and RSS (and, with BENCH_PROFILE=1, a CPU profile).
 * Their logs go to a file (as to a log collector), at the app's default level, `info`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProbeSample } from './statement-probe';

const ROOT = path.resolve(__dirname, '..');
const PROBE = pathToFileURL(path.join(__dirname, 'statement-probe.ts')).href;

export type AppRole = 'api' | 'worker';

const running = new Set<ChildProcess>();

/** SIGKILLs every app process still running (the bench was interrupted). */
export function killAppProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface AppProcess {
  role: AppRole;
  pid: number;
  logFile: string;
  sample(): Promise<ProbeSample>;
  /** Starts the V8 CPU profiler in the process. */
  startProfile(): Promise<void>;
  /** Stops it and writes the `.cpuprofile` to `file`. */
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

export async function startAppProcess(
  role: AppRole,
  env: Record<string, string>,
  options: { logDir?: string; timeoutMs?: number } = {},
): Promise<AppProcess> {
  const logFile = path.join(options.logDir ?? '/tmp', `linkflow-bench-${role}-${process.pid}.log`);
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', PROBE, 'src/main.ts', '--role', role],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        BENCH_PROBE_IPC: '1',
        LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? 'info',
        LOG_PRETTY: 'false',
      },
      stdio: ['ignore', fd, fd, 'ipc'],
    },
  );
  closeSync(fd);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { benchProbe?: string; id: number; result?: unknown; error?: string }) => {
    if (message?.benchProbe !== 'answer') return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(`${role}: ${message.error}`));
    else waiter?.resolve(message.result);
  });
  // Gone (stopped, or killed from outside): asking fails instead of throwing on the channel.
  child.on('error', () => undefined);
  const ask = (benchProbe: string, extra: object = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error(`${role} is not running`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ benchProbe, id, ...extra }, (error) => {
        if (!error) return;
        pending.delete(id);
        reject(error);
      });
    });

  const readyText = role === 'api' ? 'listening' : 'workers started';
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (readFileSync(logFile, 'utf8').includes(readyText)) break;
    if (child.exitCode !== null) throw new Error(`${role} exited with ${child.exitCode}:\n${logTail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${role} was not ready in time:\n${logTail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    role,
    pid: child.pid!,
    logFile,
    sample: async () => (await ask('sample')) as ProbeSample,
    startProfile: async () => void (await ask('profile-start')),
    stopProfile: async (file) => void (await ask('profile-stop', { file })),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
