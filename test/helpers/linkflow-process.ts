import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface LinkflowProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/main.ts` as a real process (through tsx) and resolves once it says it is ready. */
export async function startLinkflowProcess(options: {
  role: 'all' | 'api' | 'worker';
  env: Record<string, string>;
  readyText?: string;
  timeoutMs?: number;
  logLevel?: string;
}): Promise<LinkflowProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', options.role], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env, LOG_LEVEL: options.logLevel ?? 'info', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const readyText = options.readyText ?? (options.role === 'api' ? 'listening' : 'workers started');
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!output.includes(readyText)) {
    if (child.exitCode !== null)
      throw new Error(`linkflow exited with ${child.exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`linkflow was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Worker processes that notice a dead peer's jobs within a few seconds. */
export const FAST_RECOVERY = { JOB_LOCK_MS: '3000', STALLED_CHECK_MS: '1000' };

/**
 * A `--role worker` process on `env` that takes a dead peer's jobs within seconds (FAST_RECOVERY),
 * with an admin key of its own (so none is generated and printed), added to `processes` for the
 * caller to stop.
 */
export async function startRecoveringWorker(
  env: Record<string, string>,
  processes: LinkflowProcess[],
  extra: Record<string, string> = {},
): Promise<LinkflowProcess> {
  const worker = await startLinkflowProcess({
    role: 'worker',
    env: { ...env, ...FAST_RECOVERY, ...extra, API_KEY: `lf_${randomBytes(16).toString('hex')}` },
  });
  processes.push(worker);
  return worker;
}
