import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadWorkflowFiles } from '../../../src/workflows/workflow-files';
import { WorkflowFilesError } from '../../../src/workflows/workflow-files-error';
import {
  findActiveWorkflowsByTrigger,
  getWorkflow,
  loadWorkflowVersion,
} from '../../../src/workflows/workflow-repository';
import { syncWorkflowFiles } from '../../../src/workflows/workflow-sync';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { validDefinition } from '../../unit/definition/definitions';

describe('workflow files', () => {
  let env: TestEnv;
  let dir: string;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lf-workflows-'));
    accountId = (await createTestAccount(env.container)).accountId;
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown): Promise<void> =>
    writeFile(path.join(dir, name), typeof content === 'string' ? content : YAML.stringify(content));
  const sync = () => env.container.db.transaction((tx) => syncWorkflowFiles(tx, accountId, dir));
  const relative = (name: string): string => path.relative(process.cwd(), path.join(dir, name));

  it('reads json, yaml and yml files in name order, ignoring other files', async () => {
    await write('b.yml', { ...validDefinition(), id: 'b' });
    await writeFile(path.join(dir, 'a.json'), JSON.stringify({ ...validDefinition(), id: 'a' }));
    await write('c.yaml', { ...validDefinition(), id: 'c' });
    await write('notes.txt', 'not a workflow');
    const files = await loadWorkflowFiles(dir);
    expect(files.map((f) => [f.file, f.definition.id])).toEqual([
      [relative('a.json'), 'a'],
      [relative('b.yml'), 'b'],
      [relative('c.yaml'), 'c'],
    ]);
    expect(files[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats a missing folder as no workflows', async () => {
    expect(await loadWorkflowFiles(path.join(dir, 'missing'))).toEqual([]);
  });

  it('names the file, the path and the reason of every problem', async () => {
    const bad = validDefinition();
    bad.steps[2]!.next = 'bar';
    await write('bad.yaml', bad);
    await write('broken.yaml', 'id: [unclosed\n');
    const error = await loadWorkflowFiles(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFilesError);
    const { problems } = error as WorkflowFilesError;
    expect(problems).toContainEqual({
      file: relative('bad.yaml'),
      path: 'steps[2].next',
      message: "'booked' goes next to 'bar', which does not exist",
    });
    expect(problems.filter((p) => p.file === relative('broken.yaml'))).toHaveLength(1);
    expect((error as Error).message).toContain(
      `${relative('bad.yaml')}: steps[2].next: 'booked' goes next to 'bar', which does not exist`,
    );
  });

  it('refuses two files with the same id', async () => {
    await write('one.yaml', validDefinition());
    await write('two.yaml', validDefinition());
    const error = (await loadWorkflowFiles(dir).catch((e: unknown) => e)) as WorkflowFilesError;
    expect(error).toBeInstanceOf(WorkflowFilesError);
    expect(error.problems.map((p) => [p.file, p.path])).toEqual([[relative('two.yaml'), 'id']]);
  });

  it('creates workflows from new files, leaves unchanged ones, and versions changed ones', async () => {
    await write('nurture.yaml', validDefinition());
    expect(await sync()).toEqual({ created: ['nurture'], updated: [], unchanged: [] });
    const created = await getWorkflow(env.container.db.manager, accountId, 'nurture');
    expect(created).toMatchObject({ source: 'file', version: 1 });

    // A comment and another key order are the same definition.
    await write(
      'nurture.yaml',
      `# reordered\n${YAML.stringify({ ...validDefinition(), name: undefined, id: 'nurture' })}name: Nurture\n`,
    );
    expect(await sync()).toEqual({ created: [], updated: [], unchanged: ['nurture'] });

    await write('nurture.yaml', { ...validDefinition(), name: 'Nurture v2' });
    expect(await sync()).toEqual({ created: [], updated: ['nurture'], unchanged: [] });
    expect(await getWorkflow(env.container.db.manager, accountId, 'nurture')).toMatchObject({
      version: 2,
      name: 'Nurture v2',
    });
    expect((await loadWorkflowVersion(env.container.db.manager, created.id, 1)).name).toBe('Nurture');
  });

  it('writes nothing when any file is invalid', async () => {
    await write('good.yaml', { ...validDefinition(), id: 'good' });
    await write('bad.yaml', { ...validDefinition(), id: 'bad', steps: [] });
    await expect(sync()).rejects.toBeInstanceOf(WorkflowFilesError);
    await expect(getWorkflow(env.container.db.manager, accountId, 'good')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lets two processes sync the same files at once', async () => {
    await write('nurture.yaml', validDefinition());
    const results = await Promise.all([sync(), sync()]);
    expect(results.map((r) => r.created.length).sort()).toEqual([0, 1]);
    expect(results.map((r) => r.unchanged.length).sort()).toEqual([0, 1]);
  });

  it('gives the engine the active workflows of a trigger, parsed', async () => {
    await write('nurture.yaml', validDefinition());
    await write('draft.yaml', { ...validDefinition(), id: 'drafted', status: 'draft' });
    await write('manual.yaml', { ...validDefinition(), id: 'by-hand', trigger: { type: 'manual' } });
    await sync();
    const active = await findActiveWorkflowsByTrigger(env.container.db.manager, accountId, 'contact.tag_added', {
      log: env.container.logger,
    });
    expect(active.map((w) => [w.slug, w.version])).toEqual([['nurture', 1]]);
    expect(active[0]!.definition.steps[1]!.config.duration).toBe(86_400_000);
  });
});
