import { Router } from 'express';
import { z } from 'zod';
import { getContact } from '../../contacts/contact-service';
import type { Container } from '../../container';
import { decodeCursor } from '../../lib/keyset-cursor';
import { parseOrThrow } from '../../lib/zod-issues';
import { listContactMessages, type MessageRow } from '../../messaging/message-store';
import { getAuth } from '../middleware/auth';

export const querySchema = z.object({
  /** Page size. Default 50, at most 200. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});

/** A message as the API shows it: absent fields are left out rather than null. */
function toApiMessage(row: MessageRow): Record<string, unknown> {
  const optional = {
    subject: row.subject,
    text: row.text,
    html: row.html,
    body: row.body,
    error: row.error,
    providerMessageId: row.provider_message_id,
  };
  // A step's message has (runId, stepId); an appointment notification (appointmentId, kind).
  const owner = { runId: row.run_id, stepId: row.step_id, appointmentId: row.appointment_id, kind: row.kind };
  return {
    id: row.id,
    channel: row.channel,
    to: row.to,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    status: row.status,
    ...Object.fromEntries(Object.entries(owner).filter(([, value]) => value !== null)),
    createdAt: row.created_at.toISOString(),
  };
}

/** `GET /contacts/:id/messages`: every message sent (or skipped) to a contact, newest first. */
export function messageRoutes(c: Container): Router {
  const router = Router();
  router.get('/contacts/:id/messages', async (req, res) => {
    const { accountId } = getAuth(req);
    const query = parseOrThrow(querySchema, req.query);
    const contact = await getContact(c.db.manager, accountId, req.params.id);
    const rows = await listContactMessages(c.db.manager, {
      accountId,
      contactId: contact.id,
      limit: query.limit + 1,
      ...(query.cursor === undefined ? {} : { before: decodeCursor(query.cursor) }),
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? Buffer.from(JSON.stringify([last.position_at, last.id])).toString('base64url')
        : null;
    res.json({ items: page.map(toApiMessage), nextCursor });
  });
  return router;
}
