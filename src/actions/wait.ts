import { z } from 'zod';
import { durationSchema } from '../lib/duration';
import { NonRetryableError } from '../lib/step-errors';
import { contextZone, templateString, toDateTime } from '../templating/template';
import { defineAction } from './action';
import { stepTarget } from './step-target';

const looksLikeTemplate = (text: string): boolean => text.includes('{{');

/**
 * Pauses the run for a `duration`, until a date-time, or both (whichever comes first), optionally
 * resuming early when the contact's `event` arrives (then at `onEvent`; at `onTimeout` otherwise).
 */
export const waitConfigSchema = z
  .strictObject({
    /** `30s`, `5m`, `2h`, `7d`, ISO-8601 (`PT5M`) or milliseconds. */
    duration: durationSchema.optional(),
    /** An ISO date-time, or a template rendering to one; without an offset it is in the contact's zone. */
    until: templateString
      .refine((text) => looksLikeTemplate(text) || toDateTime(text).isValid, 'an ISO date-time like 2025-12-01T09:00, or a template')
      .optional(),
    /** A custom event name that ends the wait early. Default: none. */
    event: z.string().min(1).optional(),
    /**
     * With an `appointment.*` or `link.*` event: only that calendar's (slug or id) events end the wait.
     * Default: any calendar's.
     */
    calendar: z.string().min(1).optional(),
    /** Where to go when the event arrives. Default: the step's next. */
    onEvent: stepTarget.optional(),
    /** Where to go when the time runs out. Default: the step's next. */
    onTimeout: stepTarget.optional(),
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

function renderedUntil(template: string, render: (template: string) => string, zone: string): Date {
  const text = render(template).trim();
  const date = toDateTime(text, zone);
  if (!date.isValid) throw new NonRetryableError(`wait until rendered to '${text.slice(0, 100)}', not an ISO date-time`);
  return date.toJSDate();
}

export const waitAction = defineAction({
  type: 'wait',
  configSchema: waitConfigSchema,
  targets: (config) => [
    ...(config.onEvent ? [{ path: 'onEvent', stepId: config.onEvent }] : []),
    ...(config.onTimeout ? [{ path: 'onTimeout', stepId: config.onTimeout }] : []),
  ],
  execute: async ({ config, render, context }) => {
    const candidates: Date[] = [];
    if (config.duration !== undefined) candidates.push(new Date(Date.now() + config.duration));
    if (config.until !== undefined) candidates.push(renderedUntil(config.until, render, contextZone(context)));
    const until = candidates.reduce((earliest, date) => (date < earliest ? date : earliest));
    return { kind: 'wait', until, event: config.event ?? null, calendar: config.calendar, onEvent: config.onEvent, onTimeout: config.onTimeout };
  },
});
