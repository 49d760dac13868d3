/**
 * The app as a user runs it, for the over-HTTP paths: `--role api` and `--role worker` as two child
 * processes side by side, each with the statement probe preloaded, so the bench can ask each one for
 * its statement counts, CPU time and RSS (and, with BENCH_PROFILE=1, a CPU profile). They run the
 * compiled JavaScript that `npm start` runs (`dist/main.js`, built once by `npm run build` at the
 * bench's start), the probe transpiled to CommonJS beside it; BENCH_FROM_SOURCE=1 runs
 * `src/main.ts` through tsx instead (no build; tsx's loader and source maps add to RSS and CPU).
 * Their logs go to a file (as to a log collector), at the app's default level, `info`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { ProbeSample } from './statement-probe';

const ROOT = path.resolve(__dirname, '..');
const PROBE_SOURCE = path.join(__dirname, 'statement-probe.ts');
const FROM_SOURCE = process.env.BENCH_FROM_SOURCE === '1';

let appArgs: string[] | undefined;

/**
 * The node arguments that start the app: built once per bench. The probe needs only node and pg, so
 * it is transpiled on its own, into node_modules/.cache (where `require('pg')` finds the app's pg).
 */
function appCommand(): string[] {
  if (appArgs) return appArgs;
  if (FROM_SOURCE) {
    appArgs = ['--import', 'tsx', '--import', pathToFileURL(PROBE_SOURCE).href, 'src/main.ts'];
    return appArgs;
  }
  console.log('building the app (npm run build) to run it as `npm start` does');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const probeDir = path.join(ROOT, 'node_modules', '.cache', 'linkflow-bench');
  mkdirSync(probeDir, { recursive: true });
  const probe = path.join(probeDir, 'statement-probe.cjs');
  const { outputText } = ts.transpileModule(readFileSync(PROBE_SOURCE, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  writeFileSync(probe, outputText);
  appArgs = ['--require', probe, 'dist/main.js'];
  return appArgs;
}

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
  const child: ChildProcess = spawn(process.execPath, [...appCommand(), '--role', role], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.BENCH_CHILD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS } : {}),
      ...(process.env.BENCH_CHILD_PGOPTIONS ? { PGOPTIONS: process.env.BENCH_CHILD_PGOPTIONS } : {}),
      ...env,
      BENCH_PROBE_IPC: '1',
      LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? 'info',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
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
