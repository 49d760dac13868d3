import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { firstSyntaxIssue } from './yaml-syntax-issue';

export interface LocatedIssue {
  /** `steps[2].next`, as every validation issue names its place; '' for the whole definition. */
  path: string;
  message: string;
  /** 1-based line of the source the issue points at; null when it is about the whole definition. */
  line: number | null;
  /** 1-based column, where known (YAML syntax errors). */
  column?: number;
}

export interface ParsedSource {
  /** The definition as data; undefined when the text is not valid YAML (or JSON). */
  value: unknown;
  /** The first YAML syntax error at its line and column, alone (yaml-syntax-issue.ts); empty when the text parses. */
  syntaxIssues: LocatedIssue[];
  /** The line an issue path points at: the key (or list item) it names, else its nearest written parent. */
  locate(path: string): number | null;
}

/** `steps[2].body.email` → ['steps', 2, 'body', 'email']. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\.?([^.[\]]+)/g))
    segments.push(match[1] !== undefined ? Number(match[1]) : match[2]!);
  return segments;
}

/**
 * Parses the editor's text (YAML, so JSON too) keeping every node's place, so that an issue found
 * in the data can be shown next to the line that wrote it.
 */
export function parseSource(source: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const syntaxIssue = firstSyntaxIssue(source, doc.errors, lineCounter);
  const syntaxIssues: LocatedIssue[] = syntaxIssue ? [syntaxIssue] : [];

  const locate = (path: string): number | null => {
    const segments = pathSegments(path);
    let node: unknown = doc.contents;
    let line: number | null = null;
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index]!;
      if (typeof segment === 'number' && isSeq(node)) {
        const item: unknown = node.items[segment];
        const range = (item as { range?: [number, number, number] } | null)?.range;
        if (!range) break;
        line = lineAt(range[0]);
        node = item;
        continue;
      }
      if (typeof segment !== 'string' || !isMap(node)) break;
      const map = node;
      // A key may itself hold dots (`set: {"customFields.plan": …}`): try `a`, then `a.b`, …
      let found = false;
      for (let end = index + 1; end <= segments.length && !found; end++) {
        const parts = segments.slice(index, end);
        if (parts.some((part) => typeof part !== 'string')) break;
        const key = parts.join('.');
        const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
        if (!pair) continue;
        const range = (pair.key as { range?: [number, number, number] }).range;
        if (range) line = lineAt(range[0]);
        node = pair.value;
        index = end - 1;
        found = true;
      }
      if (!found) break;
    }
    return line;
  };

  return { value: syntaxIssues.length > 0 ? undefined : doc.toJS(), syntaxIssues, locate };
}

export interface AnnotatedLine {
  number: number;
  text: string;
  issues: LocatedIssue[];
}

/** The source line by line, each with the issues that point at it, for the editor's listing. */
export function annotateSource(source: string, issues: readonly LocatedIssue[]): AnnotatedLine[] {
  return source.split(/\r?\n/).map((text, index) => ({
    number: index + 1,
    text,
    issues: issues.filter((issue) => issue.line === index + 1),
  }));
}
