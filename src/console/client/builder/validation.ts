import { ValidationError, type IssueDetail } from '../../../lib/errors';
import { parseDefinition } from '../../../definition/parse-definition';
import type { Draft } from './draft';

/** One problem of the definition, placed: on a step's card, on the trigger, or on the workflow. */
export interface PlacedIssue extends IssueDetail {
  /** Index of the step, -1 for the trigger, null for the workflow's own fields. */
  step: number | null;
}

/** Where an issue belongs, from its path (`steps[2].onTimeout`, `trigger.tag`, `name`). */
export function placeIssue(issue: IssueDetail): PlacedIssue {
  const step = /^steps\[(\d+)\]/.exec(issue.path);
  if (step) return { ...issue, step: Number(step[1]) };
  if (issue.path === 'trigger' || issue.path.startsWith('trigger.')) return { ...issue, step: -1 };
  return { ...issue, step: null };
}

/**
 * The server's own definition checks (shape, each step type's config, templates, the graph), run
 * in the browser on every change. References to the account (calendars, templates) are the
 * server's to check on save.
 */
export function checkDraft(draft: Draft): PlacedIssue[] {
  try {
    parseDefinition(draft);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map(placeIssue);
    return [{ path: '', message: error instanceof Error ? error.message : String(error), step: null }];
  }
}
