import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { loadTemplates } from '../../../src/messaging/template-store';
import { findActiveWorkflowsByTrigger, loadWorkflowVersion } from '../../../src/workflows/workflow-repository';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { messagesOf, runOfContact, templatesDir } from '../messaging/messaging-helpers';

const HELLO = '---\nsubject: Hello\nlayout: false\n---\n<p>Hello {{contact.email}}</p>';

describe('stored workflow versions whose surroundings changed since they were saved', () => {
  let env: TestEnv;
  let workers: RunningWorkers | undefined;
  let accountId: string;
  let before: Awaited<ReturnType<typeof templatesDir>>;
  let after: Awaited<ReturnType<typeof templatesDir>>;
  const ids: Record<'renamed' | 'healthy' | 'outdated', string> = { renamed: '', healthy: '', outdated: '' };

  beforeAll(async () => {
    // The `hello` template exists when the workflows are saved, and is renamed before the event.
    before = await templatesDir({ 'hello.email.hbs': HELLO });
    after = await templatesDir({ 'greeting.email.hbs': HELLO });
    await loadTemplates(before.dir);
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    const trigger = { type: 'contact.tag_added', tag: 'vip' };
    const save = async (id: string, steps: Record<string, unknown>[]) =>
      (await addWorkflow(env.container, accountId, { id, name: id, trigger, steps })).id;
    ids.renamed = await save('renamed', [{ id: 'send', type: 'send_email', template: 'hello' }]);
    ids.healthy = await save('healthy', [{ id: 'tag', type: 'add_tag', tag: 'greeted' }]);
    ids.outdated = await save('outdated', [{ id: 'tag', type: 'add_tag', tag: 'old' }]);
    // A version written under an older schema: a step type that no longer exists.
    await env.container.db.query(
      `UPDATE workflow_versions SET definition = jsonb_set(definition, '{steps,0,type}', '"retired_action"') WHERE workflow_id = $1`,
      [ids.outdated],
    );
    await loadTemplates(after.dir);
  });
  afterAll(async () => {
    await workers?.close();
    await env.cleanup();
    await before.remove();
    await after.remove();
  });

  it('loads a stored version without checking its templates against the folder again', async () => {
    const definition = await loadWorkflowVersion(env.container.db.manager, ids.renamed, 1);
    expect(definition.steps[0]!.config).toEqual({ template: 'hello' });
  });

  it('leaves out a workflow whose stored version no longer parses, warning once with its id', async () => {
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const log = { warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }) };
    const found = await findActiveWorkflowsByTrigger(env.container.db.manager, accountId, 'contact.tag_added', {
      log: log as never,
    });
    expect(found.map((workflow) => workflow.id)).toEqual([ids.renamed, ids.healthy]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toMatchObject({
      workflowId: ids.outdated,
      version: 1,
      code: 'validation_failed',
      issues: ['steps[0].type'],
    });
  });

  it("fails only the renamed template's send step, naming the template, while the event reaches the other workflows", async () => {
    workers = startWorkers(env.container);
    const contact = await addContact(env.container, accountId, { email: 'vip@example.com', tags: ['vip'] });

    await runOfContact(env.container, ids.healthy, contact.id, 'completed');
    const failed = await runOfContact(env.container, ids.renamed, contact.id, 'failed');
    const [step, ...others] = await stepsOf(env.container, failed.id);
    expect(others).toHaveLength(0);
    expect(step).toMatchObject({ step_id: 'send', status: 'failed', attempts: 1 });
    expect(step!.error).toContain("'hello'");
    const [message] = await messagesOf(env.container, failed.id);
    expect(message!.status).toBe('failed');
    // The event enrols in one transaction: the outdated workflow, left out, got no run.
    expect(await runsOf(env.container, ids.outdated)).toEqual([]);
  });
});
