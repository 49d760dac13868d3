import './versions.css';
import { useEffect, useMemo, useState } from 'react';
import { toDraft, type Draft } from './draft';
import { draftToYaml } from './draft-yaml';
import { lineDiff } from './line-diff';
import { getVersion, listVersions, restoreVersion, type VersionSummary } from './workflow-api';
import type { SavedWorkflow } from './api-client';

type Chosen = { version: number; yaml: string } | null;

/**
 * The saved versions, newest first; choosing one shows its YAML against the definition in the builder,
 * and "Restore this version" saves it again as a new version. `refresh` changes after each save.
 */
export function VersionsTab(props: {
  workflowId: string | null;
  draft: Draft;
  refresh: number;
  csrf: string;
  onRestored(workflow: SavedWorkflow & { definition: unknown }, from: number): void;
}) {
  const { workflowId } = props;
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [chosen, setChosen] = useState<Chosen>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);

  useEffect(() => {
    if (!workflowId) return;
    let live = true;
    void listVersions(workflowId).then((result) => {
      if (!live) return;
      if (result.ok) setVersions(result.value.items);
      else setProblem(result.message);
    });
    return () => {
      live = false;
    };
  }, [workflowId, props.refresh]);

  const current = useMemo(() => draftToYaml(props.draft), [props.draft]);
  const diff = useMemo(() => (chosen ? lineDiff(chosen.yaml, current) : []), [chosen, current]);

  if (!workflowId) return <p className="versions-tab muted">Versions appear once the workflow is saved.</p>;

  const choose = async (version: number) => {
    setProblem(null);
    const result = await getVersion(workflowId, version);
    if (result.ok) setChosen({ version, yaml: draftToYaml(toDraft(result.value.definition)) });
    else setProblem(result.message);
  };
  const restore = async (version: number) => {
    setRestoring(true);
    const result = await restoreVersion(workflowId, version, props.csrf);
    setRestoring(false);
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setChosen(null);
    props.onRestored(result.value, version);
  };
  const latest = versions?.[0]?.version;

  return (
    <div className="versions-tab">
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {versions === null ? (
        <p className="muted">Loading the versions…</p>
      ) : (
        <ul className="versions-list" aria-label="Versions">
          {versions.map((item) => (
            <li key={item.version}>
              <button
                type="button"
                className={chosen?.version === item.version ? '' : 'secondary'}
                aria-pressed={chosen?.version === item.version}
                onClick={() => void choose(item.version)}
              >
                Version {item.version}
                {item.version === latest ? ' (current)' : ''}
              </button>{' '}
              <span className="muted">
                {new Date(item.createdAt).toLocaleString()} ·{' '}
                {item.source === 'file' ? 'from a file' : 'saved here or by the API'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <section aria-labelledby="diff-title">
          <h2 id="diff-title">Version {chosen.version} against the builder</h2>
          <p className="muted">
            Lines marked − are only in version {chosen.version}; lines marked + only in what the builder holds now.
          </p>
          <button type="button" disabled={restoring} onClick={() => void restore(chosen.version)}>
            Restore this version
          </button>
          {diff.every((line) => line.kind === 'same') ? (
            <p>No difference: the builder holds this definition.</p>
          ) : (
            <pre className="version-diff" aria-label={`Differences from version ${chosen.version}`}>
              {diff.map((line, index) => (
                <span key={index} className={`diff-${line.kind}`}>
                  {line.kind === 'removed' ? '− ' : line.kind === 'added' ? '+ ' : '  '}
                  {line.text}
                </span>
              ))}
            </pre>
          )}
        </section>
      )}
    </div>
  );
}
