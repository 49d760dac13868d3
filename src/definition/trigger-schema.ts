import { z } from 'zod';

/** Tags compare case-insensitively everywhere, so a trigger's tag is stored lower-cased. */
const tagSchema = z.string().trim().toLowerCase().min(1);

/** What starts a workflow. `type` names the event; the other fields narrow which events match. */
export const triggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('contact.created') }),
  z.strictObject({ type: z.literal('contact.tag_added'), tag: tagSchema }),
  z.strictObject({ type: z.literal('appointment.booked'), calendar: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('appointment.cancelled'), calendar: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('link.redeemed'), calendar: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('link.expired'), calendar: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('event'), event: z.string().min(1) }),
  z.strictObject({ type: z.literal('manual') }),
]);

export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerType = Trigger['type'];
export const TRIGGER_TYPES = triggerSchema.options.map((option) => option.shape.type.value) as TriggerType[];
