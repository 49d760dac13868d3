import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { validDefinition } from '../../unit/definition/definitions';

const ROOT = path.resolve(__dirname, '../../..');

function check(dir?: string): { status: number | null; stdout: string; stderr: string } {
  const args = ['tsx', 'src/cli/workflows-check.ts', ...(dir === undefined ? [] : [dir])];
  const result = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, WORKFLOWS_DIR: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run workflows:check', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lf-check-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('passes a folder of valid workflows, listing each', async () => {
    await writeFile(path.join(dir, 'nurture.yaml'), YAML.stringify(validDefinition()));
    const result = check(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`ok  ${path.relative(ROOT, path.join(dir, 'nurture.yaml'))} (nurture, 6 steps)`);
  });

  it('fails on an invalid workflow, naming file, path and reason', async () => {
    const bad = validDefinition();
    bad.steps[2]!.next = 'foo';
    await writeFile(path.join(dir, 'bad.yaml'), YAML.stringify(bad));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `${path.relative(ROOT, path.join(dir, 'bad.yaml'))}: steps[2].next: 'booked' goes next to 'foo', which does not exist`,
    );
  });

  it('fails on a folder that does not exist', () => {
    expect(check(path.join(dir, 'missing')).status).toBe(1);
  });

  it('passes the workflows shipped in workflows/', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ok  workflows/new-lead-nurture.yaml');
    expect(result.stdout).toContain('ok  workflows/webhook-on-signup.yaml');
  });
});
