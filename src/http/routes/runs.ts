import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { requestCampaign, requestCancel, requestManualRun, startRunsBodySchema } from '../../triggers/run-requests';
import { retryRun } from '../../engine/run-retry';
import { getRunView, listRunViews } from '../../engine/run-views';
import { actions } from '../../actions';
import { NotFoundError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/zod-issues';
import { getWorkflow, loadWorkflowVersion } from '../../workflows/workflow-repository';
import { getAuth } from '../middleware/auth';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const listRunsQuerySchema = z.object({
  workflowId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  status: z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']).optional(),
  /** `true`: only test runs (started by "Test" in the builder); `false`: only real ones. Default: both. */
  test: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** Runs: read, list, cancel, retry; and enrolment by hand (one contact) or as a campaign (tag or ids). */
export function runRoutes(c: Container): Router {
  const router = Router();

  router.post('/workflows/:id/runs', async (req, res) => {
    const { accountId } = getAuth(req);
    const body = parseOrThrow(startRunsBodySchema, req.body);
    const result = await c.db.transaction(async (tx) => {
      const workflow = await getWorkflow(tx, accountId, req.params.id);
      if ('contactId' in body) return requestManualRun(tx, accountId, workflow, body.contactId);
      const { enrolled } = await requestCampaign(tx, accountId, workflow, body);
      return { enrolled };
    });
    res.status(202).json(result);
  });

  router.get('/runs', async (req, res) => {
    const { accountId } = getAuth(req);
    const query = parseOrThrow(listRunsQuerySchema, req.query);
    res.json(await listRunViews(c.db.manager, accountId, query));
  });

  router.get('/runs/:id', async (req, res) => {
    res.json(
      await getRunView(c.db.manager, getAuth(req).accountId, req.params.id, { config: c.config, codecs: actions }),
    );
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    const { accountId } = getAuth(req);
    if (!UUID.test(req.params.id)) throw new NotFoundError('Run');
    await c.db.transaction((tx) => requestCancel(tx, accountId, req.params.id));
    res.json(await getRunView(c.db.manager, accountId, req.params.id, { config: c.config, codecs: actions }));
  });

  /** A failed run goes on from its failed step (409 unless failed); see engine/run-retry.ts. */
  router.post('/runs/:id/retry', async (req, res) => {
    const { accountId } = getAuth(req);
    await retryRun(c, { runId: req.params.id, accountId, loadVersion: loadWorkflowVersion });
    res
      .status(202)
      .json(await getRunView(c.db.manager, accountId, req.params.id, { config: c.config, codecs: actions }));
  });

  return router;
}
