import Handlebars from 'handlebars';
import type { IssueDetail } from '../../lib/errors';
import { formatPath } from '../../lib/format-path';

/**
 * Handlebars reports a parse error as a headline, the source line, a caret line and what it
 * expected; the source and caret mean nothing once the message leaves a terminal.
 */
function compactParseError(error: unknown): string {
  const lines = String(error instanceof Error ? error.message : error).split('\n');
  const kept = lines.length >= 4 ? [lines[0], ...lines.slice(3)] : lines;
  return kept.map((line) => line?.trim()).filter(Boolean).join(' ');
}

/**
 * Every string of a step's config is rendered as a template at run time (ids, tags and URLs
 * included), so every one of them must compile now rather than fail a run later.
 */
export function checkTemplates(value: unknown, path: readonly PropertyKey[]): IssueDetail[] {
  if (typeof value === 'string') {
    try {
      Handlebars.parse(value);
      return [];
    } catch (error) {
      return [{ path: formatPath(path), message: `template does not compile: ${compactParseError(error)}` }];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => checkTemplates(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => checkTemplates(item, [...path, key]));
  }
  return [];
}
