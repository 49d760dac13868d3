import path from 'node:path';
import request from 'supertest';
import { parseDefinition } from '../../../src/definition/parse-definition';
import { createApp } from '../../../src/roles/http-app';
import { ValidationError } from '../../../src/lib/errors';
import { loadTemplates } from '../../../src/messaging/template-store';
import { definitionReferences } from '../../../src/workflows/definition-references';
import { checkWorkflowFiles } from '../../../src/workflows/workflow-files';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { templatesDir } from './messaging-helpers';

const workflow = (step: Record<string, unknown>) => ({
  id: 'validated',
  name: 'Validated',
  trigger: { type: 'manual' },
  steps: [{ id: 'send', ...step }],
});

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseDefinition(input, { references: definitionReferences() });
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  return [];
}

describe('validating send steps against the templates folder at load time', () => {
  let folder: Awaited<ReturnType<typeof templatesDir>>;
  beforeAll(async () => {
    folder = await templatesDir({
      'good.email.hbs': '---\nsubject: "Hi {{contact.first_name}}"\n---\n<p>{{> sig}}</p>',
      'broken.email.hbs': '---\nsubject: Hi\n---\n<p>{{#if contact.email}}unclosed</p>',
      'nosubject.email.hbs': '<p>no front matter</p>',
      'lost.email.hbs': '---\nsubject: Hi\n---\n{{> nowhere}}',
      'ping.sms.hbs': 'Ping {{contact.first_name}}\n',
      'bad.sms.hbs': 'Ping {{contact.first_name',
      'partials/sig.hbs': 'The team',
    });
    await loadTemplates(folder.dir);
  });
  afterAll(() => folder.remove());

  it('accepts templates that exist and compile', () => {
    expect(issuesOf(workflow({ type: 'send_email', template: 'good' }))).toEqual([]);
    expect(issuesOf(workflow({ type: 'send_sms', template: 'ping' }))).toEqual([]);
    expect(issuesOf(workflow({ type: 'send_email', subject: 'Hi', html: '{{> sig}}' }))).toEqual([]);
  });

  it('rejects a missing template file, naming the step and the folder', () => {
    const issues = issuesOf(workflow({ type: 'send_email', template: 'missing' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('steps[0].template');
    expect(issues[0]!.message).toContain("no email template 'missing'");
    expect(issuesOf(workflow({ type: 'send_sms', template: 'good' }))[0]).toMatchObject({ path: 'steps[0].template' });
  });

  it('rejects templates that do not compile, lack a subject or call a missing partial', () => {
    for (const [type, template] of [
      ['send_email', 'broken'],
      ['send_email', 'nosubject'],
      ['send_email', 'lost'],
      ['send_sms', 'bad'],
    ] as const) {
      const issues = issuesOf(workflow({ type, template }));
      expect(issues.map((issue) => issue.path)).toEqual(['steps[0].template']);
    }
    expect(issuesOf(workflow({ type: 'send_email', subject: 'Hi', html: '{{> nowhere}}' }))[0]).toMatchObject({
      path: 'steps[0].html',
    });
  });

  it('rejects inline templates that do not compile and incomplete steps', () => {
    expect(issuesOf(workflow({ type: 'send_email', subject: 'Hi {{contact', text: 'x' })).map((i) => i.path)).toEqual([
      'steps[0].subject',
    ]);
    expect(issuesOf(workflow({ type: 'send_sms', body: '{{#each}}' })).map((i) => i.path)).toEqual(['steps[0].body']);
    expect(issuesOf(workflow({ type: 'send_email', html: '<p>x</p>' })).map((i) => i.path)).toEqual([
      'steps[0].subject',
    ]);
    expect(issuesOf(workflow({ type: 'send_email', template: 'good', html: '<p>x</p>' })).map((i) => i.path)).toEqual([
      'steps[0].html',
    ]);
    expect(issuesOf(workflow({ type: 'send_sms' })).map((i) => i.path)).toEqual(['steps[0].body']);
  });

  describe('through the API and the workflow files', () => {
    let env: TestEnv;
    beforeAll(async () => {
      env = await createTestEnv();
    });
    afterAll(() => env.cleanup());

    it('answers 400 with the issue at steps[i].template', async () => {
      const { apiKey } = await createTestAccount(env.container);
      const res = await request(createApp(env.container))
        .post('/api/v1/workflows')
        .set('Authorization', `Bearer ${apiKey}`)
        .send(workflow({ type: 'send_email', template: 'broken' }))
        .expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['steps[0].template']);
    });

    it('keeps the shipped workflows/ folder valid with the shipped templates/', async () => {
      await loadTemplates(path.resolve(__dirname, '../../../templates'));
      const check = await checkWorkflowFiles(path.resolve(__dirname, '../../../workflows'));
      expect(check.problems).toEqual([]);
      expect(check.files.map((file) => file.definition.id)).toContain('welcome-email');
    });
  });
});
