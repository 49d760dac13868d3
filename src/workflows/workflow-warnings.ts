import { unknownCalendars, type CalendarReference } from '../definition/calendar-references';
import type { CalendarReferences } from '../definition/references';
import type { IssueDetail } from '../lib/errors';
import type { Workflow } from './workflow';

/** A workflow as the lists show it: with what may stop its runs that saving could not foresee. */
export type WorkflowWithWarnings<W extends Workflow = Workflow> = W & { warnings: IssueDetail[] };

/**
 * What may fail in an active workflow though it was valid when saved: a calendar it names that no
 * longer resolves (renamed or deleted since). A draft runs nothing, so it has none. `calendars`: the
 * account's, loaded once for the whole list (src/booking/calendar-references.ts).
 */
export function workflowWarnings(workflow: Workflow, calendars: CalendarReferences): IssueDetail[] {
  if (workflow.status !== 'active') return [];
  return unknownCalendars(workflow.definition, calendars).map((reference) => ({
    path: reference.path,
    message: noLongerResolves(reference),
  }));
}

function noLongerResolves({ calendar, stepLabel }: CalendarReference): string {
  const gone = `the calendar '${calendar}', which this account no longer has (renamed or deleted?)`;
  return stepLabel === undefined
    ? `The trigger names ${gone}: point it at a calendar again`
    : `'${stepLabel}' names ${gone}: point the step at a calendar again`;
}

/** Each workflow with its `warnings`, against one load of the account's calendars. */
export function withWarnings<W extends Workflow>(
  workflows: readonly W[],
  calendars: CalendarReferences,
): WorkflowWithWarnings<W>[] {
  return workflows.map((workflow) => ({ ...workflow, warnings: workflowWarnings(workflow, calendars) }));
}
