import { isStorableText } from '../../../accounts/field-schemas';
import { parseDefinition } from '../../../definition/parse-definition';
import type { CalendarReferences } from '../../../definition/references';
import { ValidationError, type IssueDetail } from '../../../lib/errors';
import { formatPath } from '../../../lib/format-path';
import { definitionReferences } from '../../../workflows/definition-references';
import { parseSource, type LocatedIssue } from './source-lines';

export interface SourceCheck {
  /** The definition as data, when the text parsed (even if it has issues). */
  value: unknown;
  /** Every problem, each at its line where it has one. Empty: the definition may be saved. */
  issues: LocatedIssue[];
}

export interface CheckSourceOptions {
  /** The workflow's slug, for an existing workflow: its id must stay that. Default: a new workflow. */
  slug?: string;
  /** The account's calendars, which a literal calendar must name (src/booking/calendar-references.ts). Default: not checked. */
  calendars?: CalendarReferences;
}

/** Locates validation issues (from parseDefinition or updateWorkflow) in the text they came from. */
export function locateIssues(source: string, issues: readonly IssueDetail[]): LocatedIssue[] {
  const { locate } = parseSource(source);
  return issues.map((issue) => ({ ...issue, line: issue.path ? locate(issue.path) : null }));
}

/** Strings (and keys) Postgres cannot store in jsonb: NUL, lone surrogates (YAML can write both). */
function unstorable(value: unknown, path: (string | number)[] = []): IssueDetail[] {
  const issue = (at: (string | number)[]): IssueDetail => ({
    path: formatPath(at),
    message: 'must not contain NUL or unpaired surrogate characters',
  });
  if (typeof value === 'string') return isStorableText(value) ? [] : [issue(path)];
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorable(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      isStorableText(key) ? unstorable(item, [...path, key]) : [issue(path)],
    );
  }
  return [];
}

/**
 * Validates the editor's text exactly as saving would (parseDefinition: shape, each action's
 * config, templates, graph, and the account's calendars when given), plus "the id must stay the
 * workflow's slug" for an existing workflow. Saves nothing. A YAML syntax error is reported alone
 * (the first one, at its line and column); the definition is checked once the text parses.
 */
export function checkSource(source: string, options: CheckSourceOptions = {}): SourceCheck {
  const parsed = parseSource(source);
  if (parsed.syntaxIssues.length > 0) return { value: undefined, issues: parsed.syntaxIssues };
  const issues: IssueDetail[] = unstorable(parsed.value);
  try {
    parseDefinition(parsed.value, { references: definitionReferences({ calendars: options.calendars }) });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
  }
  const id = (parsed.value as { id?: unknown } | null)?.id;
  if (options.slug !== undefined && typeof id === 'string' && id !== options.slug) {
    issues.push({ path: 'id', message: `must stay '${options.slug}': a workflow's id cannot change` });
  }
  return {
    value: parsed.value,
    issues: issues.map((issue) => ({ ...issue, line: issue.path ? parsed.locate(issue.path) : null })),
  };
}
