import type { Request, Response } from 'express';
import type { Container } from '../../container';
import { listRunViews } from '../../engine/run-views';
import type { WorkflowDefinition } from '../../definition/definition-schema';
import { ValidationError } from '../../lib/errors';
import { loadWorkflowVersion, type Workflow } from '../../workflows/workflow-repository';
import { listWorkflowVersions } from '../../workflows/workflow-versions';
import { contactLabels } from '../contacts/contact-search';
import { getSession } from '../session/session-middleware';
import { queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { definitionToYaml } from './definition-yaml';
import { editorView, type EditorState } from './editor/editor-state';
import { funnelPeriodOf } from './funnel/funnel-period';
import { funnelSection, type FunnelSection } from './funnel/funnel-section';
import { workflowGraphSvg } from './graph/graph-svg';
import { WORKFLOW_VIEW } from './workflow-views';
import { runCountsByWorkflow, runsAtSteps } from './workflow-stats';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Version summaries per page of the workflow page; each links to its definition. */
const VERSIONS_PER_PAGE = 20;

async function graphOf(
  c: Container,
  workflow: Workflow,
  accountId: string,
): Promise<{ graph?: string; graphError?: string; definition?: WorkflowDefinition }> {
  try {
    const definition = await loadWorkflowVersion(c.db.manager, workflow.id, workflow.version);
    return {
      graph: workflowGraphSvg(definition, await runsAtSteps(c.db.manager, accountId, workflow.id)),
      definition,
    };
  } catch (error) {
    // A version stored before an action's rules tightened still shows; only its drawing is missing.
    if (error instanceof ValidationError) return { graphError: error.message };
    throw error;
  }
}

/** The funnel for `?period=` (see funnel/funnel-period.ts); none when the version cannot be read. */
async function funnelOf(
  c: Container,
  req: Request,
  options: { accountId: string; workflowId: string; definition?: WorkflowDefinition },
): Promise<FunnelSection | null> {
  if (!options.definition) return null;
  return funnelSection(c.db.manager, {
    accountId: options.accountId,
    workflowId: options.workflowId,
    period: funnelPeriodOf(queryText(req, 'period')),
    mintsLinks: options.definition.steps.some((step) => step.type === 'generate_one_time_link'),
  });
}

/**
 * A workflow's page: graph with the runs at each step, counts, the funnel, versions, hand enrolment,
 * recent runs, and the editor (holding `editor.source`, or the current definition).
 */
export async function sendWorkflowPage(
  c: Container,
  req: Request,
  res: Response,
  workflow: Workflow,
  options: { editor?: EditorState; status?: number } = {},
): Promise<void> {
  const { accountId } = getSession(res);
  const tx = c.db.manager;
  const counts = (await runCountsByWorkflow(tx, accountId, [workflow.id])).get(workflow.id);
  // Summaries only (a definition can be a megabyte); `versions` pages through older ones.
  const versionsCursor = queryText(req, 'versions');
  const versions = await listWorkflowVersions(tx, accountId, workflow.id, {
    limit: VERSIONS_PER_PAGE,
    ...(versionsCursor ? { cursor: versionsCursor } : {}),
  });
  const runs = (await listRunViews(tx, accountId, { workflowId: workflow.id, limit: 20 })).items;
  const labels = await contactLabels(
    tx,
    accountId,
    runs.map((run) => run.contactId),
  );
  const enrolled = typeof req.query.run === 'string' && UUID.test(req.query.run) ? req.query.run : null;
  const editor = options.editor ?? { source: definitionToYaml(workflow.definition) };
  const { definition, ...graph } = await graphOf(c, workflow, accountId);
  sendPage(res, {
    title: workflow.name,
    section: 'workflows',
    view: WORKFLOW_VIEW,
    status: options.status,
    req,
    data: {
      workflow,
      counts,
      enrolledRun: enrolled,
      ...graph,
      funnel: await funnelOf(c, req, { accountId, workflowId: workflow.id, definition }),
      versions: versions.items.map((version) => ({ ...version, shortHash: version.hash.slice(0, 12) })),
      olderVersionsHref: versions.nextCursor
        ? `/app/workflows/${workflow.id}?versions=${encodeURIComponent(versions.nextCursor)}#versions`
        : null,
      runs: runs.map((run) => ({ ...run, contactLabel: labels.get(run.contactId) ?? run.contactId })),
      ...editorView(editor, { action: `/app/workflows/${workflow.id}/definition`, nextVersion: workflow.version + 1 }),
    },
  });
}
