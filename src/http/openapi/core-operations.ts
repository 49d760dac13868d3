import { contactSchema, contactInputSchema, contactPatchSchema, listContactsSchema } from '../../contacts/contact-schema';
import { createAccountSchema } from '../../accounts/account-schema';
import { customEventSchema } from '../../contacts/custom-event';
import { startRunsBodySchema } from '../../triggers/run-requests';
import { addTagsSchema } from '../routes/contacts';
import { querySchema as contactMessagesQuerySchema } from '../routes/messages';
import { listRunsQuerySchema } from '../routes/runs';
import { listQuerySchema as listWorkflowsQuerySchema, listVersionsQuerySchema } from '../routes/workflows';
import type { ApiOperation } from './api-operation';
import { contactPageSchema, createdAccountSchema, workflowBodySchema } from './api-schemas';
import { workflowVersionPageSchema, workflowVersionSchema } from './workflow-version-schemas';

/** Accounts, contacts, events, workflows and runs. */
export const coreOperations: ApiOperation[] = [
  {
    id: 'createAccount', method: 'post', path: '/accounts', tag: 'Accounts', summary: 'Create an account and its first API key (admin key only)',
    body: createAccountSchema, errors: [403],
    response: { status: 201, description: 'The account, with its API key (shown this once)', schema: createdAccountSchema },
  },
  {
    id: 'createContact', method: 'post', path: '/contacts', tag: 'Contacts', summary: 'Create a contact (fires contact.created and contact.tag_added)',
    body: contactInputSchema, errors: [409],
    response: { status: 201, description: 'The contact', schema: contactSchema },
  },
  {
    id: 'listContacts', method: 'get', path: '/contacts', tag: 'Contacts', summary: 'List contacts, by email or tag',
    query: listContactsSchema, response: { status: 200, description: 'A page of contacts', schema: contactPageSchema },
  },
  {
    id: 'getContact', method: 'get', path: '/contacts/:id', tag: 'Contacts', summary: 'Read a contact',
    response: { status: 200, description: 'The contact', schema: contactSchema },
  },
  {
    id: 'updateContact', method: 'patch', path: '/contacts/:id', tag: 'Contacts', summary: 'Change fields of a contact; null clears one',
    body: contactPatchSchema, errors: [409], response: { status: 200, description: 'The contact', schema: contactSchema },
  },
  {
    id: 'addContactTags', method: 'post', path: '/contacts/:id/tags', tag: 'Contacts', summary: 'Add tags (each new one fires contact.tag_added)',
    body: addTagsSchema, response: { status: 200, description: 'The contact', schema: contactSchema },
  },
  {
    id: 'removeContactTag', method: 'delete', path: '/contacts/:id/tags/:tag', tag: 'Contacts', summary: 'Remove a tag',
    params: { tag: 'The tag (case-insensitive)' }, response: { status: 200, description: 'The contact', schema: contactSchema },
  },
  {
    id: 'listContactMessages', method: 'get', path: '/contacts/:id/messages', tag: 'Contacts', summary: 'Messages sent (or skipped) to a contact, newest first',
    query: contactMessagesQuerySchema, response: { status: 200, description: 'A page of messages' },
  },
  {
    id: 'sendEvent', method: 'post', path: '/events', tag: 'Events', summary: 'Record a custom event for a contact',
    body: customEventSchema, response: { status: 202, description: '`{"eventId"}`: workflows react asynchronously' },
  },
  {
    id: 'createWorkflow', method: 'post', path: '/workflows', tag: 'Workflows', summary: 'Create a workflow from a definition',
    body: workflowBodySchema, errors: [409], response: { status: 201, description: 'The workflow at version 1' },
  },
  {
    id: 'updateWorkflow', method: 'put', path: '/workflows/:id', tag: 'Workflows', summary: 'Save a new version of a workflow',
    params: { id: 'Id or slug of the workflow' }, body: workflowBodySchema, errors: [409],
    response: { status: 200, description: 'The workflow at its new version (running runs keep theirs)' },
  },
  {
    id: 'listWorkflows', method: 'get', path: '/workflows', tag: 'Workflows', summary: 'List workflows',
    query: listWorkflowsQuerySchema, response: { status: 200, description: 'A page of workflows' },
  },
  {
    id: 'getWorkflow', method: 'get', path: '/workflows/:id', tag: 'Workflows', summary: 'Read a workflow and its current definition',
    params: { id: 'Id or slug of the workflow' }, response: { status: 200, description: 'The workflow' },
  },
  {
    id: 'listWorkflowVersions', method: 'get', path: '/workflows/:id/versions', tag: 'Workflows', summary: "A workflow's versions, without their definitions",
    params: { id: 'Id or slug of the workflow' }, query: listVersionsQuerySchema,
    response: { status: 200, description: 'A page of version summaries, newest first', schema: workflowVersionPageSchema },
  },
  {
    id: 'getWorkflowVersion', method: 'get', path: '/workflows/:id/versions/:version', tag: 'Workflows', summary: 'Read one version of a workflow with its definition',
    params: { id: 'Id or slug of the workflow', version: 'The version number (1, 2, …)' },
    response: { status: 200, description: 'The version and its definition as it was given', schema: workflowVersionSchema },
  },
  {
    id: 'startRuns', method: 'post', path: '/workflows/:id/runs', tag: 'Runs', summary: 'Enrol one contact (`contactId`) or a campaign (`tag` or `contactIds`)',
    params: { id: 'Id or slug of the workflow' }, body: startRunsBodySchema, errors: [409],
    response: { status: 202, description: '`{"runId"}` for one contact, `{"enrolled"}` for a campaign' },
  },
  {
    id: 'listRuns', method: 'get', path: '/runs', tag: 'Runs', summary: 'List runs by workflow, contact or status',
    query: listRunsQuerySchema, response: { status: 200, description: 'A page of runs' },
  },
  {
    id: 'getRun', method: 'get', path: '/runs/:id', tag: 'Runs', summary: 'Read a run and its steps',
    response: { status: 200, description: 'The run with every step, its attempts, output and error' },
  },
  {
    id: 'cancelRun', method: 'post', path: '/runs/:id/cancel', tag: 'Runs', summary: 'Cancel a running or waiting run',
    errors: [409], response: { status: 200, description: 'The cancelled run' },
  },
  {
    id: 'retryRun', method: 'post', path: '/runs/:id/retry', tag: 'Runs', summary: 'Retry a failed run from its failed step',
    errors: [409], response: { status: 202, description: 'The run, running again' },
  },
];
