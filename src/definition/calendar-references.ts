import type { IssueDetail } from '../lib/errors';
import type { CalendarReferences } from './references';
import { stepLabel } from './step-labels';
import { stepTypeOf, type StepTypeLookup } from './step-types';

/** One calendar a definition names literally: where, and the slug or id written there. */
export interface CalendarReference {
  /** `trigger.calendar` or `steps[2].calendar`, as every validation issue names its place. */
  path: string;
  /** The step's id; undefined for the trigger. */
  stepId?: string;
  /** What people call the step (its name, else its id; step-labels.ts); undefined for the trigger. */
  stepLabel?: string;
  calendar: string;
}

type RawObject = Record<string, unknown>;
const isObject = (value: unknown): value is RawObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A template renders to its calendar only when a run reaches the step: nothing to check before. */
const isLiteral = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && !value.includes('{{');

/**
 * The calendars a definition as written (a file, an API body, a stored version) names literally: the
 * trigger's `calendar`, and each step's `calendarFields` (step-type.ts). Templated values are left out.
 */
export function literalCalendars(definition: unknown, lookup: StepTypeLookup = stepTypeOf): CalendarReference[] {
  if (!isObject(definition)) return [];
  const found: CalendarReference[] = [];
  if (isObject(definition.trigger) && isLiteral(definition.trigger.calendar))
    found.push({ path: 'trigger.calendar', calendar: definition.trigger.calendar });
  const steps = Array.isArray(definition.steps) ? (definition.steps as unknown[]) : [];
  steps.forEach((step, index) => {
    if (!isObject(step) || typeof step.type !== 'string') return;
    for (const field of lookup(step.type)?.calendarFields ?? []) {
      const value = step[field];
      if (!isLiteral(value)) continue;
      found.push({
        path: `steps[${index}].${field}`,
        ...(typeof step.id === 'string' ? { stepId: step.id } : {}),
        stepLabel: stepLabel(
          {
            id: typeof step.id === 'string' ? step.id : undefined,
            name: typeof step.name === 'string' ? step.name : undefined,
          },
          index,
        ),
        calendar: value,
      });
    }
  });
  return found;
}

/** What an unknown calendar is called, the same on save, at start-up and on the workflows list. */
export const unknownCalendarMessage = (calendar: string): string =>
  `there is no calendar '${calendar}' in this account (give a calendar's slug or id)`;

/** The literal calendars of `definition` the account does not have, each with its reference. */
export function unknownCalendars(
  definition: unknown,
  calendars: CalendarReferences,
  lookup: StepTypeLookup = stepTypeOf,
): CalendarReference[] {
  return literalCalendars(definition, lookup).filter((reference) => !calendars.has(reference.calendar));
}

/** As issues at their paths: errors when saving, warnings on the workflows list. */
export function calendarIssues(
  definition: unknown,
  calendars: CalendarReferences,
  lookup: StepTypeLookup = stepTypeOf,
): IssueDetail[] {
  return unknownCalendars(definition, calendars, lookup).map((reference) => ({
    path: reference.path,
    message: unknownCalendarMessage(reference.calendar),
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The account's calendars as the checks see them, from their ids and slugs. A ref resolves as the
 * engine resolves it when a run reaches the step: one shaped like a uuid by id (in any case), any
 * other by slug (exactly).
 */
export function calendarSet(calendars: readonly { id: string; slug: string }[]): CalendarReferences {
  const ids = new Set(calendars.map((calendar) => calendar.id.toLowerCase()));
  const slugs = new Set(calendars.map((calendar) => calendar.slug));
  return { has: (ref) => (UUID.test(ref) ? ids.has(ref.toLowerCase()) : slugs.has(ref)) };
}
