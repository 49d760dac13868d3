import { z } from 'zod';
import { durationSchema } from '../../lib/duration';
import { templateString } from '../../templating/template';
import { toDateTime } from '../../lib/time';
import { defineStepType } from '../step-type';
import { stepTarget } from './step-target';

const looksLikeTemplate = (text: string): boolean => text.includes('{{');

/**
 * Pauses the run for a `duration`, until a date-time, or both (whichever comes first), optionally
 * resuming early when the contact's `event` arrives (then at `onEvent`; at `onTimeout` otherwise).
 */
export const waitConfigSchema = z
  .strictObject({
    /** `30s`, `5m`, `2h`, `7d`, ISO-8601 (`PT5M`) or milliseconds. */
    duration: durationSchema.optional().meta({ title: 'Wait for', description: 'How long to wait.' }),
    /** An ISO date-time, or a template rendering to one; without an offset it is in the contact's zone. */
    until: templateString
      .refine(
        (text) => looksLikeTemplate(text) || toDateTime(text).isValid,
        'an ISO date-time like 2025-12-01T09:00, or a template',
      )
      .optional()
      .meta({ title: 'Or until', description: 'A date-time (2025-12-01T09:00, in the contact’s zone) or a template.' }),
    /** A custom event name that ends the wait early. Default: none. */
    event: z.string().min(1).optional().meta({
      title: 'Until this event',
      description: 'Resume early when the contact’s event arrives, e.g. appointment.booked.',
    }),
    /**
     * With an `appointment.*` or `link.*` event: only that calendar's (slug or id) events end the wait.
     * Default: any calendar's.
     */
    calendar: z.string().min(1).optional().meta({
      title: 'Calendar',
      description: 'Only this calendar’s bookings and links count. Default: any calendar.',
    }),
    /** Where to go when the event arrives. Default: the step's next. */
    onEvent: stepTarget.optional().meta({ title: 'When the event arrives, go to' }),
    /** Where to go when the time runs out. Default: the step's next. */
    onTimeout: stepTarget.optional().meta({ title: 'When the time runs out, go to' }),
  })
  .refine((config) => config.duration !== undefined || config.until !== undefined, {
    message: 'a wait needs a duration, an until, or both',
  })
  .refine((config) => config.onEvent === undefined || config.event !== undefined, {
    message: 'onEvent needs an event to wait for',
    path: ['onEvent'],
  })
  .refine((config) => config.calendar === undefined || /^(appointment|link)\./.test(config.event ?? ''), {
    message: 'calendar narrows appointment.* and link.* events only',
    path: ['calendar'],
  });
export type WaitConfig = z.infer<typeof waitConfigSchema>;

export const waitStep = defineStepType({
  type: 'wait',
  label: 'Wait',
  configSchema: waitConfigSchema,
  calendarFields: ['calendar'],
  targets: (config) => [
    ...(config.onEvent ? [{ path: 'onEvent', stepId: config.onEvent }] : []),
    ...(config.onTimeout ? [{ path: 'onTimeout', stepId: config.onTimeout }] : []),
  ],
});
