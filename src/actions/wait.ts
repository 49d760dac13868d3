import { waitStep } from '../definition/steps/wait';
import { NonRetryableError } from '../lib/step-errors';
import { contextZone, toDateTime } from '../lib/time';
import { defineAction } from './action';

function renderedUntil(template: string, render: (template: string) => string, zone: string): Date {
  const text = render(template).trim();
  const date = toDateTime(text, zone);
  if (!date.isValid)
    throw new NonRetryableError(`wait until rendered to '${text.slice(0, 100)}', not an ISO date-time`);
  return date.toJSDate();
}

/** Pauses the run until the earliest of its duration and its until; the engine keeps the wait. */
export const waitAction = defineAction(waitStep, {
  execute: async ({ config, render, context }) => {
    const candidates: Date[] = [];
    if (config.duration !== undefined) candidates.push(new Date(Date.now() + config.duration));
    if (config.until !== undefined) candidates.push(renderedUntil(config.until, render, contextZone(context)));
    const until = candidates.reduce((earliest, date) => (date < earliest ? date : earliest));
    return {
      kind: 'wait',
      until,
      event: config.event ?? null,
      calendar: config.calendar,
      onEvent: config.onEvent,
      onTimeout: config.onTimeout,
    };
  },
});
