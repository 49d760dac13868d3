import { annotateSource, type LocatedIssue } from './source-lines';

export interface EditorState {
  source: string;
  /** Set after a Check or a refused Save: the issues found (maybe none). */
  issues?: LocatedIssue[];
}

/** What the editor partial shows for a state: the text, and after a check the annotated listing. */
export function editorView(
  state: EditorState,
  options: { action: string; nextVersion?: number; isNew?: boolean },
): object {
  const issues = state.issues ?? [];
  return {
    source: state.source,
    checked: state.issues !== undefined,
    issues,
    generalIssues: issues.filter((issue) => issue.line === null),
    lines: issues.length > 0 ? annotateSource(state.source, issues) : [],
    editorAction: options.action,
    nextVersion: options.nextVersion,
    isNew: options.isNew ?? false,
  };
}
