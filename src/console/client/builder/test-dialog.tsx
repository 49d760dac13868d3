import './versions.css';
import { useState } from 'react';
import { startTestRun, waitForRun } from './workflow-api';

type TestState =
  { kind: 'idle' } | { kind: 'starting' } | { kind: 'queued'; runId: string } | { kind: 'failed'; message: string };

/**
 * "Test": enrols one contact, picked by email, in the saved version (a draft too, and a contact that
 * ran before), then opens its run. A workflow never saved has no version to test: it says so.
 */
export function TestDialog(props: { workflowId: string | null; unsaved: boolean; csrf: string; onClose(): void }) {
  const [email, setEmail] = useState('');
  const [state, setState] = useState<TestState>({ kind: 'idle' });

  const start = async (workflowId: string) => {
    setState({ kind: 'starting' });
    const started = await startTestRun(workflowId, email.trim(), props.csrf);
    if (!started.ok) {
      setState({ kind: 'failed', message: started.message });
      return;
    }
    const { runId, contactId } = started.value;
    if (await waitForRun({ workflowId, contactId, runId })) window.location.assign(`/app/runs/${runId}`);
    else setState({ kind: 'queued', runId });
  };

  return (
    <div className="palette-backdrop" onClick={props.onClose}>
      <div
        className="palette test-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="test-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          if (event.key === 'Escape') props.onClose();
        }}
      >
        <h2 id="test-title">Test this workflow</h2>
        {props.workflowId === null ? (
          <>
            <p>Save the workflow first: a test runs the saved version, and this one has never been saved.</p>
            <button type="button" className="secondary" autoFocus onClick={props.onClose}>
              Close
            </button>
          </>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (props.workflowId) void start(props.workflowId);
            }}
          >
            <p className="muted">
              One contact goes through the saved version now, even as a draft or if it ran before; its run is marked as
              a test.
              {props.unsaved && ' Your unsaved changes are not part of it: save first to test them.'}
            </p>
            <label htmlFor="test-email">Contact's email</label>
            <input
              id="test-email"
              type="email"
              required
              autoComplete="off"
              value={email}
              autoFocus
              onChange={(event) => setEmail(event.target.value)}
            />
            {state.kind === 'failed' && (
              <p className="field-error" role="alert">
                {state.message}
              </p>
            )}
            {state.kind === 'queued' && (
              <p role="status">
                The test run is queued but has not started yet: <a href={`/app/runs/${state.runId}`}>open it</a> in a
                moment.
              </p>
            )}
            <div className="row">
              <button type="submit" disabled={state.kind === 'starting'}>
                {state.kind === 'starting' ? 'Starting…' : 'Start test run'}
              </button>
              <button type="button" className="secondary" onClick={props.onClose}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
