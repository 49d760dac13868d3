import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Jest's global setup: builds the console's client bundle (the workflow builder) once for the whole
 * run, and only when it is missing or older than its sources, so browser tests share one build.
 * Concurrent jest runs take turns through a lock file; the build goes to a scratch folder first and
 * is swapped in whole, so a running test never sees half a bundle.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist/client');
const BUNDLE = path.join(OUT, 'builder.js');
const LOCK = path.join(ROOT, 'dist/.client-build.lock');
const SOURCES = [
  'src/console/client',
  'src/definition',
  'src/templating',
  'src/lib',
  'vite.config.mts',
  'package-lock.json',
];
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(target: string): number {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

const upToDate = (): boolean => {
  const built = statSync(BUNDLE, { throwIfNoEntry: false });
  return (
    built !== undefined && built.mtimeMs >= Math.max(...SOURCES.map((source) => newestMtime(path.join(ROOT, source))))
  );
};

function takeLock(): boolean {
  try {
    closeSync(openSync(LOCK, 'wx'));
    return true;
  } catch {
    const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_LOCK_MS) rmSync(LOCK, { force: true });
    return false;
  }
}

function build(): void {
  const scratch = path.join(ROOT, `dist/client-build-${process.pid}`);
  execFileSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build'], {
    cwd: ROOT,
    env: { ...process.env, BUILDER_OUT_DIR: scratch },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  rmSync(OUT, { recursive: true, force: true });
  renameSync(scratch, OUT);
}

export default async function globalSetup(): Promise<void> {
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  while (!upToDate()) {
    if (!takeLock()) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (!upToDate()) build();
    } finally {
      rmSync(LOCK, { force: true });
    }
  }
  if (!existsSync(BUNDLE)) throw new Error('the client bundle was not built');
}
