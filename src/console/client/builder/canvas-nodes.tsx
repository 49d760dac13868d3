import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { runsBadge } from './runs-badge';

export interface CardData extends Record<string, unknown> {
  /** `trigger` or `step-<index>`: what the issue list focuses. */
  cardKey: string;
  caption: string;
  title: string;
  summary: string;
  icon: string;
  issues: string[];
  /** Live runs standing at this step now (saved workflows only). */
  runs: number;
  selected: boolean;
  onOpen: () => void;
}
export type CardNode = Node<CardData, 'card'>;

export interface AddData extends Record<string, unknown> {
  name: string;
  onAdd: () => void;
}
export type AddNode = Node<AddData, 'add'>;

/** A step (or the trigger) on the canvas: one button that opens its form, its problems on it. */
export function StepCard({ data }: NodeProps<CardNode>) {
  const problems = data.issues.length;
  const runs = runsBadge(data.runs);
  return (
    <div className={`card-node${data.selected ? ' is-selected' : ''}${problems > 0 ? ' has-issues' : ''}`}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <button
        type="button"
        className="card-open"
        data-card={data.cardKey}
        aria-pressed={data.selected}
        aria-description={problems > 0 ? data.issues.join('; ') : undefined}
        onClick={data.onOpen}
      >
        <span className="card-icon" aria-hidden="true">
          {data.icon}
        </span>
        <span className="card-text">
          <span className="card-caption">{data.caption}</span>
          <span className="card-title">{data.title}</span>
          <span className="card-summary">{data.summary}</span>
        </span>
        {runs && (
          <span className="card-runs" title={runs.label}>
            <span aria-hidden="true">{runs.text}</span>
            <span className="sr">{runs.label}</span>
          </span>
        )}
        {problems > 0 && (
          <span className="card-issues" title={data.issues.join('\n')}>
            ⚠ {problems}
            <span className="sr"> problem{problems === 1 ? '' : 's'}</span>
          </span>
        )}
      </button>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

/** Below a step the workflow stops at without an End: "Add step after …". */
export function AddStepNode({ data }: NodeProps<AddNode>) {
  return (
    <div className="add-node">
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <button type="button" className="add-step" aria-label={data.name} title={data.name} onClick={data.onAdd}>
        <span aria-hidden="true">+</span> Add step
      </button>
    </div>
  );
}
