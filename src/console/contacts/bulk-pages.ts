import { Router, type Request, type Response } from 'express';
import type { Container } from '../../container';
import { countBulkAction, stageBulkAction, type BulkActionInput } from '../../contacts/import/bulk-action-service';
import type { ContactImportRow } from '../../contacts/import/contact-import-store';
import type { BulkKind } from '../../contacts/import/import-schema';
import { cancelStagedImport, confirmImport, requireImport } from '../../contacts/import/import-service';
import { NotFoundError, ValidationError, type IssueDetail } from '../../lib/errors';
import { isStorableText } from '../../lib/storable-text';
import { previewTagEnrolment } from '../../triggers/tag-enrolment-preview';
import { getWorkflow, listWorkflows } from '../../workflows/workflow-repository';
import { getSession } from '../session/session-middleware';
import { formText, queryString, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { BULK_CONFIRM_VIEW, BULK_FORM_VIEW } from './bulk-views';
import { likePattern } from './contact-search';
import { bulkPreviewSentences } from './enrolment-sentences';
import { JOB_PROGRESS_VIEW } from './import-views';
import { jobProgress, plural, progressPageData } from './job-progress';

const HEADINGS: Record<BulkKind, (detail: string) => string> = {
  add_tag: (tag) => `Add the tag '${tag}'`,
  remove_tag: (tag) => `Remove the tag '${tag}'`,
  enrol: (name) => `Enrol in '${name}'`,
};

/** "“ann” with the tag 'vip'": the search a bulk action was asked on, in words. */
function searchText(search: { q?: string; tag?: string } | null): string {
  const q = search?.q ? `“${search.q}”` : '';
  const tag = search?.tag ? `the tag '${search.tag}'` : '';
  if (q && tag) return `${q} with ${tag}`;
  return q || tag || 'any search (every contact)';
}

function searchOf(req: Request, tagField: string): { q: string; tag: string } {
  const search = {
    q: queryText(req, 'q') || formText(req, 'q'),
    tag: queryText(req, tagField) || formText(req, tagField),
  };
  for (const [field, value] of Object.entries(search))
    if (!isStorableText(value) || value.length > 200)
      throw new ValidationError([{ path: field, message: 'must be text of at most 200 characters' }]);
  return search;
}

async function sendForm(
  c: Container,
  res: Response,
  options: { search: { q: string; tag: string }; values?: Record<string, string>; issues?: IssueDetail[] },
): Promise<void> {
  const { accountId } = getSession(res);
  const workflows = await listWorkflows(c.db.manager, accountId, { status: 'active', limit: 200 });
  sendPage(res, {
    title: 'Bulk action',
    section: 'contacts',
    view: BULK_FORM_VIEW,
    status: options.issues ? 400 : 200,
    data: {
      q: options.search.q,
      searchTag: options.search.tag,
      searchText: searchText(options.search),
      backHref: `/app/contacts${queryString({ q: options.search.q, tag: options.search.tag })}`,
      workflows: workflows.items.map((workflow) => ({ id: workflow.id, name: workflow.name })),
      values: { action: 'add_tag', ...options.values },
      issues: options.issues ?? [],
    },
  });
}

/** The action the form asks for; a workflow must be one of the account's active ones (400 at `workflowId`). */
async function actionOf(c: Container, req: Request, accountId: string): Promise<BulkActionInput> {
  const action = formText(req, 'action');
  if (action === 'add_tag' || action === 'remove_tag') return { kind: action, tag: formText(req, 'tag') };
  if (action !== 'enrol') throw new ValidationError([{ path: 'action', message: 'choose an action' }]);
  const workflowId = formText(req, 'workflowId');
  const issue = (message: string) => new ValidationError([{ path: 'workflowId', message }]);
  if (!workflowId) throw issue('choose the workflow to enrol the contacts in');
  const workflow = await getWorkflow(c.db.manager, accountId, workflowId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw issue('no such workflow');
    throw error;
  });
  if (workflow.status !== 'active') throw issue('the workflow is a draft: activate it first');
  return { kind: 'enrol', workflowId: workflow.id };
}

async function sendConfirmPage(c: Container, res: Response, job: ContactImportRow): Promise<void> {
  const tx = c.db.manager;
  const kind = job.kind as BulkKind;
  const counts = await countBulkAction(tx, job);
  const tag = job.tags[0] ?? '';
  const workflow = job.workflow_id ? await getWorkflow(tx, job.account_id, job.workflow_id).catch(() => null) : null;
  const byTag =
    kind === 'add_tag' ? (await previewTagEnrolment(tx, job.account_id, [tag], { log: c.logger })).byTag : [];
  sendPage(res, {
    title: 'Bulk action',
    section: 'contacts',
    view: BULK_CONFIRM_VIEW,
    data: {
      id: job.id,
      heading: HEADINGS[kind](kind === 'enrol' ? (workflow?.name ?? 'a deleted workflow') : tag),
      searchText: searchText(job.search),
      preview: bulkPreviewSentences({
        kind,
        counts,
        tag,
        workflows: byTag[0]?.workflows ?? [],
        workflow: workflow && { id: workflow.id, name: workflow.name, allowReentry: workflow.allowReentry },
      }),
      startLabel: `Apply to ${plural(job.total, 'contact')}`,
    },
  });
}

/** Bulk actions on the contacts of a search: the form, the confirm step with its preview, the progress. */
export function contactBulkPages(c: Container): Router {
  const router = Router();

  router.get('/contacts/bulk', async (req, res) => {
    await sendForm(c, res, { search: searchOf(req, 'tag') });
  });

  router.post('/contacts/bulk', async (req, res) => {
    const { accountId } = getSession(res);
    const search = searchOf(req, 'searchTag');
    const values = {
      action: formText(req, 'action'),
      tag: formText(req, 'tag'),
      workflowId: formText(req, 'workflowId'),
    };
    try {
      const action = await actionOf(c, req, accountId);
      const { importId } = await stageBulkAction(c.db, {
        accountId,
        search: { ...search, pattern: search.q ? likePattern(search.q) : null },
        action,
      });
      res.redirect(303, `/app/contacts/bulk/${importId}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendForm(c, res, { search, values, issues: error.issues });
    }
  });

  router.get('/contacts/bulk/:id', async (req, res) => {
    const { accountId } = getSession(res);
    const job = await requireImport(c.db.manager, accountId, req.params.id);
    if (job.kind === 'csv') throw new NotFoundError('Bulk action');
    if (job.status === 'staged') return sendConfirmPage(c, res, job);
    const pageHref = `/app/contacts/bulk/${job.id}`;
    const kind = job.kind;
    const workflow = job.workflow_id
      ? await getWorkflow(c.db.manager, accountId, job.workflow_id).catch(() => null)
      : null;
    sendPage(res, {
      title: 'Bulk action',
      section: 'contacts',
      view: JOB_PROGRESS_VIEW,
      req,
      data: progressPageData(job, {
        heading: HEADINGS[kind](kind === 'enrol' ? (workflow?.name ?? 'a deleted workflow') : (job.tags[0] ?? '')),
        pageHref,
        statusUrl: `${pageHref}/status`,
        errorsHref: null,
      }),
    });
  });

  router.get('/contacts/bulk/:id/status', async (req, res) => {
    const { accountId } = getSession(res);
    const job = await requireImport(c.db.manager, accountId, req.params.id);
    if (job.kind === 'csv') throw new NotFoundError('Bulk action');
    res.json(jobProgress(job));
  });

  router.post('/contacts/bulk/:id/start', async (req, res) => {
    const { accountId } = getSession(res);
    const job = await requireImport(c.db.manager, accountId, req.params.id);
    if (job.kind === 'csv') throw new NotFoundError('Bulk action');
    await confirmImport(c, { accountId, importId: job.id });
    res.redirect(303, `/app/contacts/bulk/${job.id}`);
  });

  router.post('/contacts/bulk/:id/cancel', async (req, res) => {
    const { accountId } = getSession(res);
    await cancelStagedImport(c.db.manager, accountId, req.params.id);
    res.redirect(303, '/app/contacts');
  });

  return router;
}
