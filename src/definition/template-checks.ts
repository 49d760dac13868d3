import Handlebars from 'handlebars';
import type { IssueDetail } from '../lib/errors';
import { formatPath } from '../lib/format-path';
import { staticLimitProblem } from '../templating/template-static-limits';

/**
 * Handlebars reports a parse error as a headline, the source line, a caret line and what it
 * expected; the source and caret mean nothing once the message leaves a terminal.
 */
function compactParseError(error: unknown): string {
  const lines = String(error instanceof Error ? error.message : error).split('\n');
  const kept = lines.length >= 4 ? [lines[0], ...lines.slice(3)] : lines;
  return kept
    .map((line) => line?.trim())
    .filter(Boolean)
    .join(' ');
}

export interface TemplateCheckOptions {
  /** Also turn away templates whose loops can only exceed the render bounds (template-static-limits.ts). Default true. */
  limits?: boolean;
}

/**
 * Every string of a step's config is rendered as a template at run time (ids, tags and URLs
 * included), so every one of them must compile now rather than fail a run later.
 */
export function checkTemplates(
  value: unknown,
  path: readonly PropertyKey[],
  options: TemplateCheckOptions = {},
): IssueDetail[] {
  if (typeof value === 'string') {
    let program: hbs.AST.Program;
    try {
      program = Handlebars.parse(value);
    } catch (error) {
      return [{ path: formatPath(path), message: `template does not compile: ${compactParseError(error)}` }];
    }
    const problem = options.limits === false ? null : staticLimitProblem(program);
    return problem ? [{ path: formatPath(path), message: `template too costly: ${problem}` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => checkTemplates(item, [...path, index], options));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => checkTemplates(item, [...path, key], options));
  }
  return [];
}
