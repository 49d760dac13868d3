import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTestEnv, type TestEnv } from '../helpers/test-env';
import { startLinkflowProcess } from '../helpers/linkflow-process';

jest.setTimeout(60_000);
const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs main.ts with the given environment until it exits, or until it printed `untilText` (then it is watched
 * three seconds more, past one retry, and killed), or `ms` pass; returns its output and exit code.
 */
function runMain(
  env: Record<string, string>,
  ms: number,
  untilText?: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_PRETTY: 'false', ...env },
    });
    let output = '';
    let timer = setTimeout(() => child.kill('SIGKILL'), ms);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (untilText && output.includes(untilText)) {
        untilText = undefined;
        clearTimeout(timer);
        timer = setTimeout(() => child.kill('SIGKILL'), 3000); // past one 2 s retry
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('starting Linkflow', () => {
  it('refuses a bad configuration with one message naming every bad variable, exit code 1', async () => {
    const { code, output } = await runMain(
      { PORT: 'eighty', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'chatty', NODE_ENV: 'production' },
      20_000,
    );
    expect(code).toBe(1);
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'LINK_SECRET']) expect(output).toContain(name);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('keeps waiting for an unreachable PostgreSQL with one clear line naming the URL and the fix', async () => {
    const { code, output } = await runMain(
      { DATABASE_URL: 'postgres://postgres:pw-7f3a9c@127.0.0.1:1/linkflow', LOG_LEVEL: 'info' },
      30_000,
      'PostgreSQL is unreachable',
    );
    expect(code).toBeNull(); // still running (killed by us), not crashed
    expect(output).toContain('PostgreSQL is unreachable');
    expect(output).toContain('127.0.0.1:1');
    expect(output).toContain('docker compose up -d');
    expect(output).not.toContain('pw-7f3a9c');
    expect(output.match(/PostgreSQL is unreachable/g)).toHaveLength(1);
  });

  describe('with the database up', () => {
    let env: TestEnv;
    beforeAll(async () => {
      env = await createTestEnv();
    });
    afterAll(async () => env.cleanup());

    it('keeps waiting for an unreachable Redis with one clear line naming the URL', async () => {
      const { code, output } = await runMain(
        { ...env.env, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'info' },
        30_000,
        'Redis is unreachable',
      );
      expect(code).toBeNull();
      expect(output).toContain('Redis is unreachable');
      expect(output).toContain('redis://127.0.0.1:1');
    });

    it('serves /healthz and exits 0 on SIGTERM', async () => {
      const app = await startLinkflowProcess({
        role: 'all',
        env: { ...env.env, PORT: '0', API_KEY: 'lf_startup_test_key_123456' },
        readyText: 'listening',
      });
      expect(app.output()).toContain('workers started');
      expect(await app.stop('SIGTERM')).toBe(0);
      expect(app.output()).toContain('stopped');
    });
  });
});
