import { yaml } from '@codemirror/lang-yaml';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef, useState } from 'react';
import type { Draft } from './draft';
import { draftToYaml, yamlToDraft } from './draft-yaml';

/**
 * The same definition as YAML in CodeMirror 6. Each edit that parses replaces the definition (so the
 * canvas and the problems follow); the editor starts from the definition each time the tab opens.
 */
export function CodeTab(props: { draft: Draft; onChange(draft: Draft): void }) {
  const host = useRef<HTMLDivElement>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const initial = useRef(draftToYaml(props.draft));

  useEffect(() => {
    if (!host.current) return;
    // CodeMirror writes its styles at run time: into a <style> element in a document (which the
    // console's CSP refuses), into a constructed stylesheet in a shadow root (which it allows).
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    shadow.replaceChildren(parent);
    const view = new EditorView({
      doc: initial.current,
      root: shadow,
      parent,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.theme({ '&': { maxHeight: '70vh', fontSize: '13px' }, '.cm-scroller': { overflow: 'auto' } }),
        EditorView.contentAttributes.of({ 'aria-label': 'Definition (YAML)' }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const result = yamlToDraft(update.state.doc.toString());
          if ('error' in result) setSyntaxError(result.error);
          else {
            setSyntaxError(null);
            onChange.current(result.draft);
          }
        }),
      ],
    });
    return () => view.destroy();
  }, []);

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
