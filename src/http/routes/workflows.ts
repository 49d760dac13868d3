import { Router } from 'express';
import { z } from 'zod';
import type { Container } from '../../container';
import { parseOrThrow } from '../../lib/zod-issues';
import { createWorkflow, getWorkflow, listWorkflows, listWorkflowVersions, updateWorkflow } from '../../workflows/workflow-repository';
import { getAuth } from '../middleware/auth';

export const listQuerySchema = z.strictObject({
  status: z.enum(['active', 'draft']).optional(),
  /** Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).optional(),
});

/** Workflows: create, new versions, read, list. Bodies are definitions as a file would hold them, in JSON. */
export function workflowRoutes(container: Container): Router {
  const router = Router();
  const { db } = container;

  router.post('/workflows', async (req, res) => {
    const { accountId } = getAuth(req);
    const workflow = await db.transaction((tx) => createWorkflow(tx, accountId, req.body, 'api'));
    res.status(201).location(`${req.baseUrl}/workflows/${workflow.id}`).json(workflow);
  });

  router.put('/workflows/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    res.json(await db.transaction((tx) => updateWorkflow(tx, accountId, req.params.id, req.body)));
  });

  router.get('/workflows', async (req, res) => {
    const { accountId } = getAuth(req);
    res.json(await listWorkflows(db.manager, accountId, parseOrThrow(listQuerySchema, req.query)));
  });

  router.get('/workflows/:id', async (req, res) => {
    res.json(await getWorkflow(db.manager, getAuth(req).accountId, req.params.id));
  });

  router.get('/workflows/:id/versions', async (req, res) => {
    const items = await listWorkflowVersions(db.manager, getAuth(req).accountId, req.params.id);
    res.json({ items, nextCursor: null });
  });

  return router;
}
