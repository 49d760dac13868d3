import { Router } from 'express';
import type { Container } from '../../container';
import { requestCancel } from '../../triggers/run-requests';
import { retryRun } from '../../engine/run-retry';
import type { RunStatus } from '../../engine/run-store';
import { getRunView, listRunViews } from '../../engine/run-views';
import { actions } from '../../actions';
import { NotFoundError } from '../../lib/errors';
import { loadWorkflowVersion } from '../../workflows/workflow-repository';
import { contactLabels } from '../contacts/contact-search';
import { getSession } from '../session/session-middleware';
import { queryString, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { viewZone } from '../views/view-zone';
import { workflowNames } from '../workflows/workflow-stats';
import { RUN_LIST_VIEW, RUN_VIEW } from './run-views';
import { waitSummaries } from './wait-summaries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: RunStatus[] = ['running', 'waiting', 'completed', 'failed', 'cancelled'];

/** Runs: the list (by workflow and status), a run's timeline, cancel and retry. */
export function runPages(c: Container): Router {
  const router = Router();

  router.get('/runs', async (req, res) => {
    const { accountId } = getSession(res);
    const workflowId = UUID.test(queryText(req, 'workflowId')) ? queryText(req, 'workflowId') : '';
    const status = STATUSES.find((candidate) => candidate === queryText(req, 'status'));
    const cursor = queryText(req, 'cursor');
    const page = await listRunViews(c.db.manager, accountId, {
      workflowId: workflowId || undefined,
      status,
      limit: 50,
      cursor: cursor || undefined,
    });
    const names = await workflowNames(c.db.manager, accountId);
    const labels = await contactLabels(
      c.db.manager,
      accountId,
      page.items.map((run) => run.contactId),
    );
    const filters = { workflowId, status };
    sendPage(res, {
      title: 'Runs',
      section: 'runs',
      view: RUN_LIST_VIEW,
      req,
      data: {
        runs: page.items.map((run) => ({
          ...run,
          workflowName: names.get(run.workflowId) ?? run.workflowId,
          contactLabel: labels.get(run.contactId) ?? run.contactId,
        })),
        workflows: [...names]
          .map(([id, name]) => ({ id, name, selected: id === workflowId }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        statuses: STATUSES.map((value) => ({ value, selected: value === status })),
        isLaterPage: Boolean(cursor),
        firstHref: `/app/runs${queryString(filters)}`,
        nextHref: page.nextCursor ? `/app/runs${queryString({ ...filters, cursor: page.nextCursor })}` : null,
      },
    });
  });

  router.get('/runs/:id', async (req, res) => {
    const { accountId } = getSession(res);
    const run = await getRunView(c.db.manager, accountId, req.params.id, { config: c.config, codecs: actions });
    const names = await workflowNames(c.db.manager, accountId);
    const labels = await contactLabels(c.db.manager, accountId, [run.contactId]);
    const waits = await waitSummaries(c.db.manager, {
      accountId,
      workflowId: run.workflowId,
      workflowVersion: run.workflowVersion,
      steps: run.steps ?? [],
      zone: viewZone(res, req).zone,
    });
    sendPage(res, {
      title: `Run ${run.id}`,
      section: 'runs',
      view: RUN_VIEW,
      req,
      data: {
        run,
        workflowName: names.get(run.workflowId) ?? run.workflowId,
        contactLabel: labels.get(run.contactId) ?? run.contactId,
        canCancel: run.status === 'running' || run.status === 'waiting',
        canRetry: run.status === 'failed',
        steps: (run.steps ?? []).map((step) => ({
          ...step,
          hasOutput: step.output !== null && step.output !== undefined,
          durationMs: step.finishedAt ? Date.parse(step.finishedAt) - Date.parse(step.startedAt) : null,
          wait: waits.get(step.id),
        })),
      },
    });
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    const { accountId } = getSession(res);
    if (!UUID.test(req.params.id)) throw new NotFoundError('Run');
    await c.db.transaction((tx) => requestCancel(tx, accountId, req.params.id));
    res.redirect(303, `/app/runs/${req.params.id}?notice=cancelled`);
  });

  router.post('/runs/:id/retry', async (req, res) => {
    const { accountId } = getSession(res);
    await retryRun(c, { runId: req.params.id, accountId, loadVersion: loadWorkflowVersion });
    res.redirect(303, `/app/runs/${req.params.id}?notice=retried`);
  });

  return router;
}
