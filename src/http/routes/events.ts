import { Router } from 'express';
import { customEventSchema, recordCustomEvent } from '../../contacts/custom-event';
import type { Container } from '../../container';
import { parseOrThrow } from '../../lib/zod-issues';
import { getAuth } from '../middleware/auth';

export function eventRoutes(container: Container): Router {
  const router = Router();

  /** A custom event for one contact; 202 because workflows react to it asynchronously. */
  router.post('/events', async (req, res) => {
    const { accountId } = getAuth(req);
    const input = parseOrThrow(customEventSchema, req.body);
    const eventId = await container.db.transaction((tx) => recordCustomEvent(tx, accountId, input));
    res.status(202).json({ eventId: String(eventId) });
  });

  return router;
}
