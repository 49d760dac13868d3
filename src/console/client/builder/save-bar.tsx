import { useEffect, useRef } from 'react';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; version: number; workflowId: string }
  | { kind: 'restored'; from: number; version: number; workflowId: string }
  | { kind: 'failed'; message: string };

/** What the last Save did, announced to screen readers as it changes. */
export function SaveStatus({ state }: { state: SaveState }) {
  if (state.kind === 'idle') return <p className="save-status" role="status" />;
  if (state.kind === 'saving')
    return (
      <p className="save-status" role="status">
        Saving…
      </p>
    );
  if (state.kind === 'saved')
    return (
      <p className="save-status notice" role="status">
        Saved as version {state.version}. <a href={`/app/workflows/${state.workflowId}`}>Open the workflow page</a>
      </p>
    );
  if (state.kind === 'restored')
    return (
      <p className="save-status notice" role="status">
        Restored version {state.from} as version {state.version}.{' '}
        <a href={`/app/workflows/${state.workflowId}`}>Open the workflow page</a>
      </p>
    );
  return (
    <p className="save-status issues-inline" role="alert">
      {state.message}
    </p>
  );
}

/** Asked before saving an active workflow: a new version applies to new runs at once. */
export function ConfirmActiveSave(props: { onConfirm(): void; onCancel(): void }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div className="palette-backdrop">
      <div
        className="palette confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-text"
        onKeyDown={(event) => {
          if (event.key === 'Escape') props.onCancel();
        }}
      >
        <h2 id="confirm-title">Save an active workflow?</h2>
        <p id="confirm-text">This workflow is active: new runs will use the new version at once.</p>
        <div className="row">
          <button type="button" ref={confirm} onClick={props.onConfirm}>
            Save new version
          </button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
