import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { BUILTIN_EVENT_TYPES, INTERNAL_EVENT_PREFIX } from '../events/event-types';
import { appendEvent } from '../events/outbox';
import { isStorableText } from '../accounts/field-schemas';
import { parseOrThrow } from '../lib/zod-issues';
import { findContactRow } from './contact-store';

/** Prefixes of the system's own events: a caller must not forge a booking or a link redemption. */
const RESERVED_PREFIXES = [INTERNAL_EVENT_PREFIX, 'appointment.', 'link.', 'contact.'];

/** Only the system may emit these: built-in events, and the engine's own (`linkflow.*`, `appointment.*`, …). */
function isReserved(type: string): boolean {
  const lower = type.toLowerCase();
  return (
    (BUILTIN_EVENT_TYPES as readonly string[]).includes(type) ||
    RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}

const MAX_DATA_DEPTH = 20;

/** Postgres jsonb refuses NUL and lone surrogates and overflows on deep nesting: all would be 500s. */
function checkJsonData(data: Record<string, unknown>, ctx: z.RefinementCtx): void {
  // Iterative, so that a hostile 1 MB of nested arrays cannot overflow our stack either.
  const pending: { value: unknown; depth: number }[] = [{ value: data, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string' && !isStorableText(value)) {
      ctx.addIssue({ code: 'custom', message: 'strings must not contain NUL or unpaired surrogate characters' });
      return;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DATA_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `must not nest deeper than ${MAX_DATA_DEPTH} levels` });
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      pending.push({ value: key, depth }, { value: child, depth: depth + 1 });
    }
  }
}

/** Body of `POST /api/v1/events`: a custom event that `event` triggers and waits can match. */
export const customEventSchema = z.strictObject({
  type: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits, ".", "_", "-" or ":"')
    .refine((type) => !isReserved(type), 'is a built-in or internal event; only the system emits it'),
  contactId: z.string().min(1).max(100),
  /** Free-form payload, visible to workflows as `trigger.data`. Default {}. */
  data: z.record(z.string(), z.unknown()).superRefine(checkJsonData).optional(),
});
export type CustomEventInput = z.infer<typeof customEventSchema>;

/** Records a custom event for a contact of the account; returns the outbox id. */
export async function recordCustomEvent(tx: Tx, accountId: string, input: CustomEventInput): Promise<string> {
  const event = parseOrThrow(customEventSchema, input);
  const contact = await findContactRow(tx, accountId, event.contactId);
  return appendEvent(tx, { accountId, type: event.type, contactId: contact.id, data: event.data ?? {} });
}
