import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { parseOrThrow } from '../../lib/zod-issues';
import { createWorkflow, getWorkflow, listWorkflows, updateWorkflow } from '../../workflows/workflow-repository';
import { getWorkflowVersion, listWorkflowVersions } from '../../workflows/workflow-versions';
import { withWarnings } from '../../workflows/workflow-warnings';
import { accountCalendars } from '../../booking/calendar-references';
import { getAuth } from '../middleware/auth';

export const listQuerySchema = z.strictObject({
  status: z.enum(['active', 'draft']).optional(),
  /** Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).optional(),
});

export const listVersionsQuerySchema = z.strictObject({
  /** Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).optional(),
});

export const versionParamsSchema = z.object({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'must be a version number (1, 2, …)')
    .transform(Number),
});

/** Workflows: create, new versions, read, list, their versions. Bodies are definitions as a file would hold them, in JSON. */
export function workflowRoutes(container: Container): Router {
  const router = Router();
  const { db } = container;

  router.post('/workflows', async (req, res) => {
    const { accountId } = getAuth(req);
    const workflow = await db.transaction(async (tx) =>
      createWorkflow(tx, accountId, req.body, 'api', { calendars: await accountCalendars(tx, accountId) }),
    );
    res.status(201).location(`${req.baseUrl}/workflows/${workflow.id}`).json(workflow);
  });

  router.put('/workflows/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    res.json(
      await db.transaction(async (tx) =>
        updateWorkflow(tx, accountId, req.params.id, req.body, { calendars: await accountCalendars(tx, accountId) }),
      ),
    );
  });

  router.get('/workflows', async (req, res) => {
    const { accountId } = getAuth(req);
    const page = await listWorkflows(db.manager, accountId, parseOrThrow(listQuerySchema, req.query));
    // One query for the account's calendars, whatever the page size.
    res.json({ ...page, items: withWarnings(page.items, await accountCalendars(db.manager, accountId)) });
  });

  router.get('/workflows/:id', async (req, res) => {
    res.json(await getWorkflow(db.manager, getAuth(req).accountId, req.params.id));
  });

  // Summaries only: a definition can be a megabyte, so the list never loads one.
  router.get('/workflows/:id/versions', async (req, res) => {
    res.json(
      await listWorkflowVersions(
        db.manager,
        getAuth(req).accountId,
        req.params.id,
        parseOrThrow(listVersionsQuerySchema, req.query),
      ),
    );
  });

  router.get('/workflows/:id/versions/:version', async (req, res) => {
    const { version } = parseOrThrow(versionParamsSchema, { version: req.params.version });
    res.json(await getWorkflowVersion(db.manager, getAuth(req).accountId, req.params.id, version));
  });

  return router;
}
