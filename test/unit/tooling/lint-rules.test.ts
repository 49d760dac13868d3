import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// Both are ES modules that jest's CommonJS runtime cannot load: they run as the commands lint runs.
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/lint');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the rules eslint.config.mjs uses, CommonJS for jest
const rules = require('../../../eslint-rules/raw-query.cjs');
const { tableStores, QUERY_CALL_MESSAGE, STATEMENT_CALL_MESSAGE, SELECT_STAR_MESSAGE } = rules;

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** `depcruise` with the project's .dependency-cruiser.cjs over one fixture's src/. */
async function cruise(fixture: string): Promise<Violation[]> {
  const args = [DEPCRUISE, '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', 'src'];
  const output = await run(process.execPath, args, { cwd: path.join(FIXTURES, fixture) }).catch(
    // depcruise exits non-zero when it finds errors; the report is on stdout all the same.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return JSON.parse(output.stdout).summary.violations;
}

const arrows = (violations: Violation[]) => violations.map(({ rule, from, to }) => ({ rule: rule.name, from, to }));

describe('the folder rules (dependency-cruiser)', () => {
  it('pass a tree whose arrows all point down the layers', async () => {
    expect(await cruise('clean')).toEqual([]);
  });

  it('fail a folder cycle that has no file cycle (links → booking and booking → links)', async () => {
    expect(arrows(await cruise('folder-cycle'))).toEqual([
      { rule: 'layer-booking', from: 'src/booking/appointment-service.ts', to: 'src/links/link-service.ts' },
    ]);
  });

  it('fail an upward arrow (the engine importing an action)', async () => {
    expect(arrows(await cruise('upward-arrow'))).toEqual([
      { rule: 'layer-engine', from: 'src/engine/step-runner.ts', to: 'src/actions/send-email.ts' },
    ]);
  });

  it('fail the worker role reaching the console, even through another file of roles/', async () => {
    expect(arrows(await cruise('worker-reaches-console'))).toEqual([
      { rule: 'worker-role-without-http', from: 'src/roles/worker.ts', to: 'src/console/admin/queues-dashboard.ts' },
    ]);
  });
});

describe('the formatter (prettier)', () => {
  /** `prettier.check` with the configuration the project resolves for a file of src/. */
  async function isFormatted(source: string): Promise<boolean> {
    const script = `
      const prettier = require('prettier');
      const filepath = ${JSON.stringify(path.join(ROOT, 'src/example.ts'))};
      let source = '';
      process.stdin.on('data', (chunk) => (source += chunk)).on('end', async () => {
        const options = await prettier.resolveConfig(filepath);
        process.stdout.write(JSON.stringify(await prettier.check(source, { ...options, filepath })));
      });`;
    const child = run(process.execPath, ['-e', script], { cwd: ROOT });
    child.child.stdin?.end(source);
    return JSON.parse((await child).stdout);
  }

  it('fails a file that is not formatted and passes it once formatted', async () => {
    expect(await isFormatted('export const  greeting = "hello" ;\n')).toBe(false);
    expect(await isFormatted("export const greeting = 'hello';\n")).toBe(true);
  });
});

describe('the table-store rules (ESLint)', () => {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...tableStores()],
  });

  /** The messages ESLint reports for `code` as if it were the file at `filePath`. */
  async function problems(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return result!.messages.map((message) => (message.ruleId ? message.message : `fatal: ${message.message}`));
  }
  const rawQuery = "export const ping = (tx: { query(sql: string): unknown }) => tx.query('SELECT 1');\n";
  const throughHelper =
    "import { queryRows } from '../db/sql';\nexport const ids = (tx: never) => queryRows(tx, 'SELECT id FROM runs');\n";

  it('reports a raw tx.query outside src/db/, even in a store', async () => {
    expect(await problems('src/engine/run-sweeper.ts', rawQuery)).toEqual([QUERY_CALL_MESSAGE]);
    expect(await problems('src/engine/run-store.ts', rawQuery)).toEqual([QUERY_CALL_MESSAGE]);
    expect(await problems('src/db/sql.ts', rawQuery)).toEqual([]);
  });

  it("reports a statement outside its table's store and allows it inside", async () => {
    expect(await problems('src/engine/run-sweeper.ts', throughHelper)).toEqual([STATEMENT_CALL_MESSAGE]);
    expect(await problems('src/engine/run-store.ts', throughHelper)).toEqual([]);
  });

  it('reports SELECT * anywhere in src/', async () => {
    expect(await problems('src/engine/run-store.ts', throughHelper.replace('SELECT id', 'SELECT *'))).toEqual([
      SELECT_STAR_MESSAGE,
    ]);
  });
});
