import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { saveWorkflow } from './api-client';
import { CodeTab } from './code-tab';
import { slugOf, type Draft } from './draft';
import { deleteStep, insertStep, RefusedEdit, replaceStep, type InsertAt } from './draft-edits';
import { FlowCanvas, type Selection } from './flow-canvas';
import { stepNodeId, TRIGGER_NODE } from './graph-model';
import { IssueList } from './issue-list';
import { PickerContext, usePickerData } from './pickers';
import { ConfirmActiveSave, SaveStatus, type SaveState } from './save-bar';
import { StepPalette } from './step-palette';
import { StepPanel } from './step-panel';
import { TriggerPanel } from './trigger-panel';
import { checkDraft, placeIssue, type PlacedIssue } from './validation';

export interface BuilderAppProps {
  initial: Draft;
  /** Null for a workflow not saved yet. */
  workflowId: string | null;
  /** The stored workflow's status: saving an active one asks first. */
  savedStatus: 'active' | 'draft' | null;
  csrf: string;
}

/** The builder: canvas (or Code), the side panel with the selected card's form, problems, Save. */
export function BuilderApp(props: BuilderAppProps) {
  const [draft, setDraft] = useState<Draft>(props.initial);
  const [workflowId, setWorkflowId] = useState(props.workflowId);
  const [savedStatus, setSavedStatus] = useState(props.savedStatus);
  const [selection, setSelection] = useState<Selection>(null);
  const [focusPanel, setFocusPanel] = useState(true);
  /** The card the problem list jumped to, focused once the jump is drawn. */
  const [focusCard, setFocusCard] = useState<string | null>(null);
  useEffect(() => {
    if (!focusCard) return;
    // The card may be re-drawn a few frames later (the layout is computed asynchronously and the view
    // moves to it): keep focusing it frame by frame until it holds the focus, for at most ~1 s.
    let frames = 0;
    let handle = 0;
    const tick = () => {
      const card = document.querySelector<HTMLElement>(`[data-card="${focusCard}"]`);
      if (card && document.activeElement !== card) card.focus();
      const settled = card !== null && document.activeElement === card && frames >= 15;
      if (settled || ++frames > 60) {
        setFocusCard(null);
        return;
      }
      handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, [focusCard]);
  const [palette, setPalette] = useState<{ at: InsertAt; title: string } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [tab, setTab] = useState<'canvas' | 'code'>('canvas');
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const [serverIssues, setServerIssues] = useState<PlacedIssue[]>([]);
  const pickers = usePickerData();
  const flow = useReactFlow();

  const issues = useMemo(() => checkDraft(draft), [draft]);
  const shownIssues = issues.length > 0 ? issues : serverIssues;
  const calendarName = useCallback(
    (slug: string) =>
      pickers.calendars?.find((calendar) => calendar.slug === slug || calendar.id === slug)?.name ?? slug,
    [pickers.calendars],
  );

  const edit = (next: Draft) => {
    setDraft(next);
    setServerIssues([]);
    setRefusal(null);
  };
  const select = (next: Selection) => {
    setSelection(next);
    setFocusPanel(true);
    setRefusal(null);
  };
  const onAdd = useCallback(
    (at: InsertAt, name: string) => setPalette({ at, title: name.replace(/^Add step/, 'Add a step') }),
    [],
  );

  const choose = (type: string) => {
    if (!palette) return;
    const result = insertStep(draft, palette.at, type);
    edit(result.draft);
    setPalette(null);
    select({ kind: 'step', index: result.index });
  };

  const remove = (index: number) => {
    try {
      edit(deleteStep(draft, index));
      setSelection(null);
    } catch (error) {
      if (error instanceof RefusedEdit) setRefusal(error.message);
      else throw error;
    }
  };

  const jump = (issue: PlacedIssue) => {
    setTab('canvas');
    if (issue.step === null) {
      setSelection(null);
      document.getElementById('workflow-name')?.focus();
      return;
    }
    const node = issue.step === -1 ? TRIGGER_NODE : stepNodeId(issue.step);
    setSelection(issue.step === -1 ? { kind: 'trigger' } : { kind: 'step', index: issue.step });
    setFocusPanel(false);
    void flow.fitView({ nodes: [{ id: node }], maxZoom: 1, duration: 200 });
    setFocusCard(node);
  };

  const save = async () => {
    setConfirming(false);
    setSaveState({ kind: 'saving' });
    const result = await saveWorkflow({ draft, workflowId, csrf: props.csrf });
    if (!result.ok) {
      setServerIssues(result.issues.map(placeIssue));
      setSaveState({ kind: 'failed', message: result.message });
      return;
    }
    setSaveState({ kind: 'saved', version: result.workflow.version, workflowId: result.workflow.id });
    setSavedStatus(result.workflow.status);
    if (!workflowId) {
      setWorkflowId(result.workflow.id);
      window.history.replaceState(null, '', `/app/workflows/${result.workflow.id}/edit`);
    }
  };
  const askToSave = () => (workflowId && savedStatus === 'active' ? setConfirming(true) : void save());

  const selectedStep = selection?.kind === 'step' ? draft.steps[selection.index] : undefined;
  return (
    <PickerContext.Provider value={pickers}>
      <div className="builder-bar">
        <div className="builder-name">
          <label htmlFor="workflow-name">Workflow name</label>
          <input
            id="workflow-name"
            type="text"
            value={draft.name}
            onChange={(event) =>
              edit({ ...draft, name: event.target.value, ...(workflowId ? {} : { id: slugOf(event.target.value) }) })
            }
          />
          <span className="muted">
            id <code>{draft.id}</code>
          </span>
        </div>
        <div className="builder-status">
          <label htmlFor="workflow-status">Status</label>
          <select
            id="workflow-status"
            value={draft.status ?? 'active'}
            onChange={(event) => edit({ ...draft, status: event.target.value as 'active' | 'draft' })}
          >
            <option value="draft">Draft: enrols no one</option>
            <option value="active">Active</option>
          </select>
        </div>
        <div className="builder-tabs" role="tablist" aria-label="View">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'canvas'}
            className={tab === 'canvas' ? '' : 'secondary'}
            onClick={() => setTab('canvas')}
          >
            Canvas
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'code'}
            className={tab === 'code' ? '' : 'secondary'}
            onClick={() => setTab('code')}
          >
            Code
          </button>
        </div>
        <button type="button" className="builder-save" onClick={askToSave} disabled={saveState.kind === 'saving'}>
          Save
        </button>
      </div>
      <SaveStatus state={saveState} />
      <div className={`builder-main${selection ? ' has-panel' : ''}`}>
        <div className="builder-view" role="tabpanel" aria-label={tab === 'canvas' ? 'Canvas' : 'Code'}>
          {tab === 'canvas' ? (
            <FlowCanvas
              draft={draft}
              issues={shownIssues}
              selection={selection}
              onSelect={select}
              onAdd={onAdd}
              calendarName={calendarName}
            />
          ) : (
            <CodeTab draft={draft} onChange={edit} />
          )}
        </div>
        <aside className="builder-panel" aria-label="Settings and problems">
          {selection?.kind === 'trigger' && (
            <TriggerPanel
              trigger={draft.trigger}
              autoFocus={focusPanel}
              issues={shownIssues.filter((issue) => issue.step === -1)}
              onChange={(trigger) => edit({ ...draft, trigger })}
              onClose={() => select(null)}
            />
          )}
          {selection?.kind === 'step' && selectedStep && (
            <StepPanel
              key={selection.index}
              step={selectedStep}
              steps={draft.steps}
              issues={shownIssues.filter((issue) => issue.step === selection.index)}
              refusal={refusal}
              autoFocus={focusPanel}
              onChange={(step) => edit(replaceStep(draft, selection.index, step))}
              onDelete={() => remove(selection.index)}
              onClose={() => select(null)}
            />
          )}
          {!selection && <p className="muted panel-hint">Choose a card to change it, or a “+” to add a step there.</p>}
          <IssueList draft={draft} issues={shownIssues} onJump={jump} />
        </aside>
      </div>
      {palette && <StepPalette title={palette.title} onChoose={choose} onClose={() => setPalette(null)} />}
      {confirming && <ConfirmActiveSave onConfirm={() => void save()} onCancel={() => setConfirming(false)} />}
    </PickerContext.Provider>
  );
}
