import { yaml } from '@codemirror/lang-yaml';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef, useState } from 'react';
import type { Draft } from './draft';
import { draftToYaml, yamlToDraft } from './draft-yaml';

/**
 * The same definition as YAML in CodeMirror 6, in sync both ways: each edit that parses replaces the
 * definition (so the canvas, the forms and the problems follow), and a definition changed elsewhere
 * (a form in the side panel, a restored version) replaces the text, unless it is the editor's own.
 */
export function CodeTab(props: { draft: Draft; onChange(draft: Draft): void }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  /**
   * The definitions the editor handed up: they came from its text, so they never rewrite it (React may
   * render an older one of them after the text moved on; rewriting then would undo keystrokes).
   */
  const emitted = useRef(new WeakSet<Draft>());
  /** Set while the text is replaced from outside, so that replacing it is not read back as an edit. */
  const replacing = useRef(false);
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const initial = useRef(draftToYaml(props.draft));

  useEffect(() => {
    if (!host.current) return;
    // CodeMirror writes its styles at run time: into a <style> element in a document (which the
    // console's CSP refuses), into a constructed stylesheet in a shadow root (which it allows).
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    shadow.replaceChildren(parent);
    const editor = new EditorView({
      doc: initial.current,
      root: shadow,
      parent,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.theme({ '&': { maxHeight: '70vh', fontSize: '13px' }, '.cm-scroller': { overflow: 'auto' } }),
        EditorView.contentAttributes.of({ 'aria-label': 'Definition (YAML)' }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged || replacing.current) return;
          const result = yamlToDraft(update.state.doc.toString());
          if ('error' in result) setSyntaxError(result.error);
          else {
            setSyntaxError(null);
            emitted.current.add(result.draft);
            onChange.current(result.draft);
          }
        }),
      ],
    });
    view.current = editor;
    return () => {
      view.current = null;
      editor.destroy();
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || emitted.current.has(props.draft)) return;
    const change = changedSpan(editor.state.doc.toString(), draftToYaml(props.draft));
    if (!change) return;
    replacing.current = true;
    try {
      editor.dispatch({ changes: change });
    } finally {
      replacing.current = false;
    }
    setSyntaxError(null);
  }, [props.draft]);

  return (
    <div className="code-tab">
      <div ref={host} className="code-editor" />
      {syntaxError && (
        <p className="field-error" role="alert">
          YAML: {syntaxError} (the canvas keeps the last definition that parsed)
        </p>
      )}
    </div>
  );
}

/** The one span that differs between two texts (so the cursor outside it stays put); null when equal. */
function changedSpan(before: string, after: string): { from: number; to: number; insert: string } | null {
  if (before === after) return null;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}
