import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { saveWorkflow, type SavedWorkflow } from './api-client';
import { BuilderBar, tabLabel, type BuilderTab } from './builder-bar';
import { CodeTab } from './code-tab';
import { toDraft, type Draft } from './draft';
import { deleteStep, insertStep, RefusedEdit, replaceStep, type InsertAt } from './draft-edits';
import { FlowCanvas, type Selection } from './flow-canvas';
import { stepNodeId, TRIGGER_NODE } from './graph-model';
import { IssueList } from './issue-list';
import { PickerContext, usePickerData } from './pickers';
import { ConfirmActiveSave, SaveStatus, type SaveState } from './save-bar';
import { StepPalette } from './step-palette';
import { StepPanel } from './step-panel';
import { TestDialog } from './test-dialog';
import { TriggerPanel } from './trigger-panel';
import { checkDraft, placeIssue, type PlacedIssue } from './validation';
import type { RunsAtStep } from './runs-badge';
import { VersionsTab } from './versions-tab';

export interface BuilderAppProps {
  initial: Draft;
  /** Null for a workflow not saved yet. */
  workflowId: string | null;
  /** The stored workflow's status: saving an active one asks first. */
  savedStatus: 'active' | 'draft' | null;
  csrf: string;
  /** Live runs at each step when the page loaded (a new workflow has none). */
  runsAtStep: RunsAtStep;
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
  const [tab, setTab] = useState<BuilderTab>('canvas');
  const [testing, setTesting] = useState(false);
  /** The definition as last saved (or loaded): Test says when the builder holds more than that. */
  const [savedDraft, setSavedDraft] = useState<Draft | null>(props.workflowId ? props.initial : null);
  /** The version last saved here (0 before any): the Versions tab lists again when it changes. */
  const [savedVersion, setSavedVersion] = useState(0);
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
    const saving = draft;
    const result = await saveWorkflow({ draft: saving, workflowId, csrf: props.csrf });
    if (!result.ok) {
      setServerIssues(result.issues.map(placeIssue));
      setSaveState({ kind: 'failed', message: result.message });
      return;
    }
    setSaveState({ kind: 'saved', version: result.workflow.version, workflowId: result.workflow.id });
    setSavedStatus(result.workflow.status);
    setSavedDraft(saving);
    setSavedVersion(result.workflow.version);
    if (!workflowId) {
      setWorkflowId(result.workflow.id);
      window.history.replaceState(null, '', `/app/workflows/${result.workflow.id}/edit`);
    }
  };
  /** A restored version is the builder's definition now, saved as a new version. */
  const restored = (workflow: SavedWorkflow & { definition: unknown }, from: number) => {
    const next = toDraft(workflow.definition);
    setDraft(next);
    setSavedDraft(next);
    setSelection(null);
    setServerIssues([]);
    setSavedStatus(workflow.status);
    setSavedVersion(workflow.version);
    setSaveState({ kind: 'restored', from, version: workflow.version, workflowId: workflow.id });
  };
  const askToSave = () => (workflowId && savedStatus === 'active' ? setConfirming(true) : void save());

  const selectedStep = selection?.kind === 'step' ? draft.steps[selection.index] : undefined;
  return (
    <PickerContext.Provider value={pickers}>
      <BuilderBar
        draft={draft}
        saved={workflowId !== null}
        tab={tab}
        saving={saveState.kind === 'saving'}
        onEdit={edit}
        onTab={setTab}
        onTest={() => setTesting(true)}
        onSave={askToSave}
      />
      <SaveStatus state={saveState} />
      <div className={`builder-main${selection ? ' has-panel' : ''}`}>
        <div className="builder-view" role="tabpanel" aria-label={tabLabel(tab)}>
          {tab === 'canvas' && (
            <FlowCanvas
              draft={draft}
              issues={shownIssues}
              selection={selection}
              onSelect={select}
              onAdd={onAdd}
              calendarName={calendarName}
              runsAtStep={props.runsAtStep}
            />
          )}
          {tab === 'code' && <CodeTab draft={draft} onChange={edit} />}
          {tab === 'versions' && (
            <VersionsTab
              workflowId={workflowId}
              draft={draft}
              refresh={savedVersion}
              csrf={props.csrf}
              onRestored={restored}
            />
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
      {testing && (
        <TestDialog
          workflowId={workflowId}
          unsaved={draft !== savedDraft}
          csrf={props.csrf}
          onClose={() => setTesting(false)}
        />
      )}
      {confirming && <ConfirmActiveSave onConfirm={() => void save()} onCancel={() => setConfirming(false)} />}
    </PickerContext.Provider>
  );
}
