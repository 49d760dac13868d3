import { Router } from 'express';
import { z } from 'zod';
import { accountCalendars } from '../../booking/calendar-references';
import type { Container } from '../../container';
import { ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/zod-issues';
import { workflowFunnel } from '../../links/workflow-funnel';
import { requestTestRun, testRunBodySchema } from '../../triggers/test-runs';
import { getWorkflow, updateWorkflow } from '../../workflows/workflow-repository';
import { getWorkflowVersion } from '../../workflows/workflow-versions';
import { getAuth } from '../middleware/auth';
import { versionParamsSchema } from './workflows';

const DAY_MS = 24 * 3600 * 1000;
/** The funnel's default period: the last 30 days. */
const DEFAULT_FUNNEL_DAYS = 30;

const dateOnly = z.iso.date().transform((day) => ({ at: new Date(`${day}T00:00:00Z`), dateOnly: true }));
const dateTime = z.iso.datetime({ offset: true }).transform((at) => ({ at: new Date(at), dateOnly: false }));
const instant = z.union([dateOnly, dateTime], { error: 'must be an ISO date (2025-01-31) or date-time' });

/** `from` and `to` as ISO dates or date-times; a date alone as `to` includes that whole day (UTC). */
export const funnelQuerySchema = z.strictObject({
  /** Default: 30 days before `to`. */
  from: instant.optional(),
  /** Default: now. */
  to: instant.optional(),
});

function funnelPeriod(query: z.infer<typeof funnelQuerySchema>, now = new Date()): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to.at.getTime() + (query.to.dateOnly ? DAY_MS : 0)) : now;
  const from = query.from?.at ?? new Date(to.getTime() - DEFAULT_FUNNEL_DAYS * DAY_MS);
  if (from >= to) throw new ValidationError([{ path: 'from', message: 'must be before to' }]);
  return { from, to };
}

/** What the builder adds to a workflow: a test run, restoring a version, the funnel. */
export function workflowExtraRoutes(c: Container): Router {
  const router = Router();

  /** A draft may be tested and a contact tested again: see triggers/test-runs.ts. */
  router.post('/workflows/:id/test-runs', async (req, res) => {
    const { accountId } = getAuth(req);
    const body = parseOrThrow(testRunBodySchema, req.body);
    const result = await c.db.transaction(async (tx) => {
      const workflow = await getWorkflow(tx, accountId, req.params.id);
      return requestTestRun(tx, accountId, workflow, body);
    });
    res.status(202).location(`${req.baseUrl}/runs/${result.runId}`).json(result);
  });

  /** The old definition, saved again as a new current version (its source is `api`). */
  router.post('/workflows/:id/versions/:version/restore', async (req, res) => {
    const { accountId } = getAuth(req);
    const { version } = parseOrThrow(versionParamsSchema, { version: req.params.version });
    const workflow = await c.db.transaction(async (tx) => {
      const old = await getWorkflowVersion(tx, accountId, req.params.id, version);
      // Checked as any save from the API, the account's calendars included.
      return updateWorkflow(tx, accountId, req.params.id, old.definition, {
        calendars: await accountCalendars(tx, accountId),
      });
    });
    res.status(201).json(workflow);
  });

  router.get('/workflows/:id/funnel', async (req, res) => {
    const { accountId } = getAuth(req);
    const period = funnelPeriod(parseOrThrow(funnelQuerySchema, req.query));
    res.json(await workflowFunnel(c.db.manager, { accountId, idOrSlug: req.params.id, ...period }));
  });

  return router;
}
