import { Background, Controls, MarkerType, ReactFlow, useReactFlow, type Edge, type Node } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { AddStepNode, StepCard, type AddNode, type CardNode } from './canvas-nodes';
import { stepLabelOf, stepTitle, type Draft } from './draft';
import type { InsertAt } from './draft-edits';
import { ADD_SIZE, CARD_HEIGHT, CARD_WIDTH, layoutGraph, type Layout, type LayoutEdge, type Point } from './elk-layout';
import { initialViewport } from './initial-viewport';
import { usePanToFocus } from './pan-to-focus';
import { addNodeId, addStepName, graphEdges, openEnds, stepNodeId, TRIGGER_NODE } from './graph-model';
import { RoutedEdge, type RoutedEdgeType } from './routed-edge';
import type { RunsAtStep } from './runs-badge';
import { STEP_ICONS, stepSummary, triggerSummary } from './step-summary';
import type { PlacedIssue } from './validation';

export type Selection = { kind: 'trigger' } | { kind: 'step'; index: number } | null;

const NODE_TYPES = { card: StepCard, add: AddStepNode };
const EDGE_TYPES = { routed: RoutedEdge };
const ADD_WIDTH = 132;
const ignoreNodeClick = (): void => undefined;
/**
 * The sizes the layout gives each node, as xyflow's initial dimensions: nodes are rebuilt on every
 * render, which drops xyflow's measurement, and a node without dimensions is hidden (from the
 * accessibility tree too) until its ResizeObserver measures it again.
 */
const CARD_SIZE = { initialWidth: CARD_WIDTH, initialHeight: CARD_HEIGHT };
const ADD_NODE_SIZE = { initialWidth: ADD_WIDTH, initialHeight: ADD_SIZE };

export interface FlowCanvasProps {
  draft: Draft;
  issues: readonly PlacedIssue[];
  selection: Selection;
  onSelect(selection: Selection): void;
  onAdd(at: InsertAt, name: string): void;
  calendarName(slug: string): string;
  /** Live runs at each saved step, by step id. */
  runsAtStep: RunsAtStep;
}

/** Room for an edge's label and its "+" button, from the label's length. */
const labelBox = (label: string): LayoutEdge['label'] => ({
  width: (label ? label.length * 7 + 22 : 0) + 34,
  height: 30,
});

/** The workflow on a pannable, zoomable canvas, laid out top to bottom by elkjs. */
export function FlowCanvas(props: FlowCanvasProps) {
  const { draft, issues, selection, onSelect, onAdd, calendarName, runsAtStep } = props;
  const [layout, setLayout] = useState<Layout | null>(null);
  const flow = useReactFlow();

  const model = useMemo(() => {
    const edges = graphEdges(draft);
    const ends = openEnds(draft, edges);
    const nodeIdOf = (index: number) => (index === -1 ? TRIGGER_NODE : stepNodeId(index));
    const layoutNodes = [
      { id: TRIGGER_NODE, width: CARD_WIDTH, height: CARD_HEIGHT },
      ...draft.steps.map((_step, index) => ({ id: stepNodeId(index), width: CARD_WIDTH, height: CARD_HEIGHT })),
      ...(draft.steps.length === 0 ? [{ id: addNodeId(-1), width: ADD_WIDTH, height: ADD_SIZE }] : []),
      ...ends.map((index) => ({ id: addNodeId(index), width: ADD_WIDTH, height: ADD_SIZE })),
    ];
    const layoutEdges: (LayoutEdge & { data: RoutedEdgeType['data'] })[] = [
      ...edges.map((edge) => {
        const at: InsertAt = edge.from === -1 ? { from: -1 } : { from: edge.from, exit: edge.exit };
        const addName = addStepName(draft, edge.from, edge.label);
        return {
          id: edge.id,
          source: nodeIdOf(edge.from),
          target: nodeIdOf(edge.to),
          text: edge.label,
          label: labelBox(edge.label),
          data: { label: edge.label, addName, onAdd: () => onAdd(at, addName) },
        };
      }),
      ...[...(draft.steps.length === 0 ? [-1] : []), ...ends].map((index) => ({
        id: `e-open-${index}`,
        source: nodeIdOf(index),
        target: addNodeId(index),
        text: '',
        label: { width: 0, height: 0 },
        data: { label: '' },
      })),
    ];
    const openAdds = [...(draft.steps.length === 0 ? [-1] : []), ...ends].map((index) => {
      const name = addStepName(draft, index, '');
      const at: InsertAt = index === -1 ? { from: -1 } : { from: index, exit: { kind: 'next' } };
      return { id: addNodeId(index), name, onAdd: () => onAdd(at, name) };
    });
    return { layoutNodes, layoutEdges, openAdds };
  }, [draft, onAdd]);

  useEffect(() => {
    let current = true;
    void layoutGraph(model.layoutNodes, model.layoutEdges).then((result) => {
      if (current) setLayout(result);
    });
    return () => {
      current = false;
    };
  }, [model]);

  // Fit the view when cards come or go, not on every keystroke in a form; a tall workflow opens at a
  // readable size at the top rather than shrunk to fit.
  const fittedFor = useRef(-1);
  const frame = useRef<HTMLDivElement>(null);
  const panToFocus = usePanToFocus(frame);
  const selected = useRef(selection);
  selected.current = selection;
  useEffect(() => {
    if (!layout || layout.positions.size === fittedFor.current) return;
    fittedFor.current = layout.positions.size;
    const boxes = [...layout.positions.entries()].map(([id, at]) => ({
      ...at,
      ...(id.startsWith('add-') ? { width: ADD_WIDTH, height: ADD_SIZE } : { width: CARD_WIDTH, height: CARD_HEIGHT }),
    }));
    const trigger = layout.positions.get(TRIGGER_NODE);
    const screen = { width: frame.current?.clientWidth ?? 800, height: frame.current?.clientHeight ?? 600 };
    const card = (at: Point | undefined) => at && { ...at, width: CARD_WIDTH, height: CARD_HEIGHT };
    const keep =
      selected.current?.kind === 'step' ? layout.positions.get(stepNodeId(selected.current.index)) : undefined;
    const view = initialViewport(boxes, screen, card(trigger), card(keep));
    requestAnimationFrame(() => void flow.setViewport(view));
  }, [layout, flow]);

  const issuesAt = (step: number): string[] =>
    issues.filter((issue) => issue.step === step).map((issue) => issue.message);
  const position = (id: string) => layout?.positions.get(id) ?? { x: 0, y: 0 };

  const nodes: Node[] = [
    {
      id: TRIGGER_NODE,
      type: 'card',
      position: position(TRIGGER_NODE),
      ...CARD_SIZE,
      data: {
        cardKey: 'trigger',
        caption: 'Trigger',
        title: triggerSummary(draft.trigger, calendarName),
        summary: 'Starts a run for each contact',
        icon: '⚡',
        issues: issuesAt(-1),
        runs: 0,
        selected: selection?.kind === 'trigger',
        onOpen: () => onSelect({ kind: 'trigger' }),
      },
    } satisfies CardNode,
    ...draft.steps.map((step, index): CardNode => ({
      id: stepNodeId(index),
      type: 'card',
      position: position(stepNodeId(index)),
      ...CARD_SIZE,
      data: {
        cardKey: stepNodeId(index),
        caption: stepLabelOf(step.type),
        title: stepTitle(step),
        summary: stepSummary(step, calendarName),
        icon: STEP_ICONS[step.type] ?? '•',
        issues: issuesAt(index),
        runs: runsAtStep[step.id] ?? 0,
        selected: selection?.kind === 'step' && selection.index === index,
        onOpen: () => onSelect({ kind: 'step', index }),
      },
    })),
    ...model.openAdds.map((add): AddNode => ({
      id: add.id,
      type: 'add',
      position: position(add.id),
      ...ADD_NODE_SIZE,
      data: { name: add.name, onAdd: add.onAdd },
    })),
  ];
  const edges: Edge[] = model.layoutEdges.map((edge): RoutedEdgeType => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: 'routed',
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    data: { ...edge.data!, points: layout?.routes.get(edge.id), labelAt: layout?.labels.get(edge.id) },
  }));

  return (
    <div ref={frame} className={`builder-canvas${layout ? '' : ' is-laying-out'}`} onFocus={panToFocus}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        // Cards are neither dragged nor selected by xyflow; a click handler keeps their buttons clickable.
        onNodeClick={ignoreNodeClick}
        minZoom={0.2}
        maxZoom={1.5}
        aria-label="Workflow canvas"
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
