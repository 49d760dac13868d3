import { z } from 'zod';
import { funnelQuerySchema } from '../routes/workflow-extras';
import { testRunBodySchema } from '../../triggers/test-runs';
import type { ApiOperation } from './api-operation';

const countsSchema = {
  reached: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  waiting: z.number().int(),
  skipped: z.number().int(),
};

const funnelSchema = z.object({
  from: z.string(),
  to: z.string(),
  steps: z.array(z.object({ stepId: z.string(), name: z.string(), ...countsSchema })),
  links: z.object({ minted: z.number().int(), opened: z.number().int(), booked: z.number().int() }),
});

const templateListSchema = z.object({
  items: z.array(z.object({ name: z.string(), channel: z.enum(['email', 'sms']), subject: z.string().optional() })),
});

const contactFieldsSchema = z.object({
  builtIn: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum(['text', 'boolean', 'list']),
      settable: z.boolean(),
    }),
  ),
  custom: z.array(z.object({ name: z.string() })),
});

/** What the workflow builder calls beside the workflow operations: tests, restores, the funnel, its pickers. */
export const builderOperations: ApiOperation[] = [
  {
    id: 'startTestRun',
    method: 'post',
    path: '/workflows/:id/test-runs',
    tag: 'Workflows',
    summary: "Run one contact through the workflow's current version as a test",
    description:
      'Works on a draft and for a contact that ran before (a test run ignores re-entry and draft status). ' +
      'The run is marked `test: true` in `/runs`. The contact must exist: an unknown email is a 404.',
    params: { id: 'Id or slug of the workflow' },
    body: testRunBodySchema,
    response: {
      status: 202,
      description: '`{"runId", "contactId"}`: the run starts in a moment',
      schema: z.object({ runId: z.string(), contactId: z.string() }),
    },
  },
  {
    id: 'restoreWorkflowVersion',
    method: 'post',
    path: '/workflows/:id/versions/:version/restore',
    tag: 'Workflows',
    summary: "Save an old version's definition again as the new current version",
    description: 'Checked as any save is: a definition naming a template that no longer exists is a 400.',
    params: { id: 'Id or slug of the workflow', version: 'The version to restore (1, 2, …)' },
    errors: [400],
    response: { status: 201, description: 'The workflow at its new version' },
  },
  {
    id: 'getWorkflowFunnel',
    method: 'get',
    path: '/workflows/:id/funnel',
    tag: 'Workflows',
    summary: 'How many runs reached each step, and the one-time links they minted, opened and booked',
    description:
      'Real runs (not test runs) started in [from, to), default the last 30 days. `opened` is the first view ' +
      'of the booking page, which mail scanners may cause as well; viewing never changes a link.',
    params: { id: 'Id or slug of the workflow' },
    query: funnelQuerySchema,
    response: { status: 200, description: 'The funnel', schema: funnelSchema },
  },
  {
    id: 'listTemplates',
    method: 'get',
    path: '/templates',
    tag: 'Builder',
    summary: 'The message templates of TEMPLATES_DIR that steps can use',
    response: { status: 200, description: 'Email and SMS templates by name', schema: templateListSchema },
  },
  {
    id: 'listTags',
    method: 'get',
    path: '/tags',
    tag: 'Builder',
    summary: "Tags of the account's contacts, as suggestions",
    description: 'Read from the newest 5,000 contacts, at most 500, sorted.',
    response: { status: 200, description: 'Tags', schema: z.object({ items: z.array(z.string()) }) },
  },
  {
    id: 'listContactFields',
    method: 'get',
    path: '/contact-fields',
    tag: 'Builder',
    summary: 'Built-in contact fields and the custom field names in use',
    description: 'Custom field names are read from the newest 5,000 contacts, at most 500, sorted.',
    response: { status: 200, description: 'Contact fields', schema: contactFieldsSchema },
  },
];
