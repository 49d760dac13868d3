import { recordCustomEvent } from '../../../src/contacts/custom-event';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { loadTemplates } from '../../../src/messaging/template-store';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { messagesOf, runOfContact, templatesDir } from '../messaging/messaging-helpers';

/**
 * 200 × 200 = 40,000 loop iterations that render nothing: the checks at save time let one repeated
 * loop through (they cannot know the list's length), the render-time bound stops it.
 */
const SQUARE = '{{#each @root.trigger.data.list}}{{#each @root.trigger.data.list}}{{/each}}{{/each}}';
const LIST = Array.from({ length: 200 }, (_, index) => index);

describe('a step whose template loops past the render bounds', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let folder: Awaited<ReturnType<typeof templatesDir>>;

  beforeAll(async () => {
    folder = await templatesDir({ 'heavy.email.hbs': `---\nsubject: Hi\nlayout: false\n---\n<p>Hi${SQUARE}</p>` });
    await loadTemplates(folder.dir);
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await env.cleanup();
    await folder.remove();
  });

  const orderPlaced = (contactId: string) =>
    env.container.db.transaction((tx) =>
      recordCustomEvent(tx, accountId, { type: 'order.placed', contactId, data: { list: LIST } }),
    );

  it('fails the step on its first attempt, and the run with it', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'heavy-tag',
      name: 'Heavy tag',
      trigger: { type: 'event', event: 'order.placed' },
      steps: [
        { id: 'tag', type: 'add_tag', tag: `buyer${SQUARE}` },
        { id: 'after', type: 'add_tag', tag: 'after' },
      ],
    });
    const contact = await addContact(env.container, accountId, { email: 'heavy@example.com' });
    await orderPlaced(contact.id);

    const run = await runOfContact(env.container, workflow.id, contact.id, 'failed');
    const steps = await stepsOf(env.container, run.id);
    expect(steps.map((step) => [step.step_id, step.status, step.attempts])).toEqual([['tag', 'failed', 1]]);
    expect(steps[0]!.error).toMatch(/^template too large/);
  });

  it('fails a send step whose file template loops past the bounds, recording the message as failed', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'heavy-email',
      name: 'Heavy email',
      trigger: { type: 'event', event: 'order.placed' },
      steps: [{ id: 'mail', type: 'send_email', template: 'heavy' }],
    });
    const contact = await addContact(env.container, accountId, { email: 'reader@example.com' });
    await orderPlaced(contact.id);

    const run = await runOfContact(env.container, workflow.id, contact.id, 'failed');
    const steps = await stepsOf(env.container, run.id);
    expect(steps.map((step) => [step.step_id, step.status, step.attempts])).toEqual([['mail', 'failed', 1]]);
    const [message, ...others] = await messagesOf(env.container, run.id);
    expect(others).toHaveLength(0);
    expect(message!.status).toBe('failed');
  });
});
