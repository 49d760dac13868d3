import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Jest's global setup: builds the client-side islands (the console's workflow builder, the public
 * booking widget, /embed.js) once for the whole run, and only those missing or older than their
 * sources, so browser tests share one build. Concurrent jest runs take turns through a lock file;
 * the build goes to a scratch folder first (holding a copy of the islands still fresh) and is
 * swapped in whole, so a running test never sees half a bundle.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist/client');
const LOCK = path.join(ROOT, 'dist/.client-build.lock');
/** What every island is built with. */
const SHARED_SOURCES = ['vite.config.mts', 'scripts/build-client.mjs', 'package-lock.json'];
/** Each island (scripts/build-client.mjs), the file it builds, and what it is built from. */
const ISLANDS = [
  {
    name: 'builder',
    bundle: 'builder.js',
    sources: ['src/console/client', 'src/definition', 'src/templating', 'src/lib'],
  },
  { name: 'booking', bundle: 'booking.js', sources: ['src/http/client/booking', 'src/lib'] },
  { name: 'embed', bundle: 'embed.js', sources: ['src/http/client/embed'] },
];
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(target: string): number {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

const staleIslands = (): string[] =>
  ISLANDS.filter((island) => {
    const built = statSync(path.join(OUT, island.bundle), { throwIfNoEntry: false });
    const sources = [...SHARED_SOURCES, ...island.sources];
    return built === undefined || built.mtimeMs < Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))));
  }).map((island) => island.name);

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

function build(stale: string[]): void {
  const scratch = path.join(ROOT, `dist/client-build-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  // The builder's build empties the folder, so with it every island is rebuilt.
  const islands = stale.includes('builder') ? [] : stale;
  if (islands.length > 0 && existsSync(OUT)) cpSync(OUT, scratch, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-client.mjs'), ...islands], {
    cwd: ROOT,
    env: { ...process.env, BUILDER_OUT_DIR: scratch },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  rmSync(OUT, { recursive: true, force: true });
  renameSync(scratch, OUT);
}

export default async function globalSetup(): Promise<void> {
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  while (staleIslands().length > 0) {
    if (!takeLock()) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      const stale = staleIslands();
      if (stale.length > 0) build(stale);
    } finally {
      rmSync(LOCK, { force: true });
    }
  }
  const missing = ISLANDS.filter((island) => !existsSync(path.join(OUT, island.bundle)));
  if (missing.length > 0) throw new Error(`client bundle(s) not built: ${missing.map((i) => i.bundle).join(', ')}`);
}
