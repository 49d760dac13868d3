import { Router } from 'express';
import type { Container } from '../../container';
import { ValidationError } from '../../lib/errors';
import { accountCalendars } from '../../booking/calendar-references';
import { createWorkflow, getWorkflow, listWorkflows } from '../../workflows/workflow-repository';
import { withWarnings } from '../../workflows/workflow-warnings';
import { getWorkflowVersion } from '../../workflows/workflow-versions';
import { definitionToYaml } from './definition-yaml';
import { getSession } from '../session/session-middleware';
import { formRaw, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { checkSource, locateIssues } from './editor/check-source';
import { editorView, type EditorState } from './editor/editor-state';
import { sendWorkflowPage } from './workflow-page';
import { runCountsByWorkflow } from './workflow-stats';
import { WORKFLOW_LIST_VIEW, WORKFLOW_NEW_VIEW, WORKFLOW_VERSION_VIEW } from './workflow-views';

const NEW_WORKFLOW = `id: my-workflow
name: My workflow
status: draft
trigger: { type: manual }
steps:
  - { id: tag, type: add_tag, tag: example }
  - { id: done, type: end }
`;

/** Workflows: the list with run counts, a new workflow, a workflow's page, and one of its versions. */
export function workflowPages(c: Container): Router {
  const router = Router();

  router.get('/workflows', async (req, res) => {
    const { accountId } = getSession(res);
    const cursor = queryText(req, 'cursor');
    const page = await listWorkflows(c.db.manager, accountId, { limit: 100, ...(cursor ? { cursor } : {}) });
    const counts = await runCountsByWorkflow(
      c.db.manager,
      accountId,
      page.items.map((workflow) => workflow.id),
    );
    const workflows = withWarnings(page.items, await accountCalendars(c.db.manager, accountId));
    sendPage(res, {
      title: 'Workflows',
      section: 'workflows',
      view: WORKFLOW_LIST_VIEW,
      req,
      data: {
        workflows: workflows.map((workflow) => ({ ...workflow, counts: counts.get(workflow.id) })),
        nextHref: page.nextCursor ? `/app/workflows?cursor=${encodeURIComponent(page.nextCursor)}` : null,
      },
    });
  });

  const sendNewPage = (res: Parameters<typeof sendPage>[0], editor: EditorState, status?: number): void =>
    sendPage(res, {
      title: 'New workflow',
      section: 'workflows',
      view: WORKFLOW_NEW_VIEW,
      status,
      data: editorView(editor, { action: '/app/workflows', isNew: true }),
    });

  // The YAML editor for a new workflow; /workflows/new is the builder (builder-pages.ts).
  router.get('/workflows/new/yaml', (_req, res) => sendNewPage(res, { source: NEW_WORKFLOW }));

  router.post('/workflows', async (req, res) => {
    const { accountId } = getSession(res);
    const source = formRaw(req, 'definition');
    const calendars = await accountCalendars(c.db.manager, accountId);
    const check = checkSource(source, { calendars });
    if (req.body?.intent !== 'save' || check.issues.length > 0) {
      sendNewPage(res, { source, issues: check.issues }, check.issues.length > 0 ? 400 : 200);
      return;
    }
    try {
      const workflow = await c.db.transaction(async (tx) =>
        createWorkflow(tx, accountId, check.value, 'api', { calendars: await accountCalendars(tx, accountId) }),
      );
      res.redirect(303, `/app/workflows/${workflow.id}?notice=created`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      sendNewPage(res, { source, issues: locateIssues(source, error.issues) }, 400);
    }
  });

  router.get('/workflows/:id', async (req, res) => {
    const workflow = await getWorkflow(c.db.manager, getSession(res).accountId, req.params.id);
    await sendWorkflowPage(c, req, res, workflow);
  });

  // One version's definition, loaded only when asked for (the workflow page lists summaries).
  router.get('/workflows/:id/versions/:version', async (req, res) => {
    const { accountId } = getSession(res);
    const number = /^[1-9]\d{0,8}$/.test(req.params.version) ? Number(req.params.version) : null;
    if (number === null)
      throw new ValidationError([{ path: 'version', message: 'must be a version number (1, 2, …)' }]);
    const workflow = await getWorkflow(c.db.manager, accountId, req.params.id);
    const version = await getWorkflowVersion(c.db.manager, accountId, workflow.id, number);
    sendPage(res, {
      title: `${workflow.name}, version ${version.version}`,
      section: 'workflows',
      view: WORKFLOW_VERSION_VIEW,
      req,
      data: { workflow, version, yaml: definitionToYaml(version.definition) },
    });
  });

  return router;
}
