import { fallsThrough, stepTitle, TARGET_KEYS, type Draft, type RawStep } from './draft';

/** How a step leaves for the next one: its default next (written or by falling through), or a config exit. */
export type Exit = { kind: 'next' } | { kind: 'target'; key: string };

export interface GraphEdge {
  id: string;
  /** Index of the step it leaves, or -1 for the trigger. */
  from: number;
  to: number;
  exit: Exit;
  /** What the path means ("Booked", "No booking", "Yes"), or '' for a plain next. */
  label: string;
}

export const TRIGGER_NODE = 'trigger';
export const stepNodeId = (index: number): string => `step-${index}`;
export const addNodeId = (index: number): string => `add-after-${index}`;

/** Whether the step's default next is ever taken: a wait with both exits written never uses it. */
export function usesDefaultNext(step: RawStep): boolean {
  if (!fallsThrough(step)) return false;
  return !(step.type === 'wait' && typeof step.onEvent === 'string' && typeof step.onTimeout === 'string');
}

/** Index of the step's default next, or -1 when it has none (the last step, an unknown id, an end). */
export function defaultNextIndex(draft: Draft, index: number): number {
  const step = draft.steps[index];
  if (!step || !fallsThrough(step)) return -1;
  if (typeof step.next === 'string') return draft.steps.findIndex((other) => other.id === step.next);
  return index + 1 < draft.steps.length ? index + 1 : -1;
}

function exitLabel(step: RawStep, key: string): string {
  const booking = typeof step.event === 'string' && /^appointment\.booked$/.test(step.event);
  switch (key) {
    case 'then':
      return 'Yes';
    case 'else':
      return 'No';
    case 'onEvent':
      return booking ? 'Booked' : `On ${String(step.event ?? 'event')}`;
    case 'onTimeout':
      return booking ? 'No booking' : 'Time out';
    default:
      return key;
  }
}

/** The label of a wait's default next when only one of its exits is written. */
function defaultNextLabel(step: RawStep): string {
  if (step.type !== 'wait' || typeof step.event !== 'string') return '';
  if (typeof step.onEvent === 'string') return exitLabel(step, 'onTimeout');
  if (typeof step.onTimeout === 'string') return exitLabel(step, 'onEvent');
  return '';
}

/** Every path of the workflow: trigger → first step, each default next, each config exit. */
export function graphEdges(draft: Draft): GraphEdge[] {
  const edges: GraphEdge[] = [];
  if (draft.steps.length > 0) edges.push({ id: 'e-trigger', from: -1, to: 0, exit: { kind: 'next' }, label: '' });
  draft.steps.forEach((step, index) => {
    for (const key of TARGET_KEYS[step.type] ?? []) {
      const target = step[key];
      if (typeof target !== 'string') continue;
      const to = draft.steps.findIndex((other) => other.id === target);
      if (to >= 0)
        edges.push({
          id: `e-${index}-${key}`,
          from: index,
          to,
          exit: { kind: 'target', key },
          label: exitLabel(step, key),
        });
    }
    const next = usesDefaultNext(step) ? defaultNextIndex(draft, index) : -1;
    if (next >= 0)
      edges.push({
        id: `e-${index}-next`,
        from: index,
        to: next,
        exit: { kind: 'next' },
        label: defaultNextLabel(step),
      });
  });
  return edges;
}

/** Steps after which the workflow stops without an End: each gets an "Add step after …" button below it. */
export function openEnds(draft: Draft, edges: readonly GraphEdge[]): number[] {
  return draft.steps.flatMap((step, index) =>
    step.type !== 'end' && fallsThrough(step) && !edges.some((edge) => edge.from === index) ? [index] : [],
  );
}

/** The accessible name of the button that inserts a step on a path. */
export function addStepName(draft: Draft, from: number, label: string): string {
  const step = draft.steps[from];
  const after = step ? `“${stepTitle(step)}”` : 'the trigger';
  return `Add step after ${after}${label ? `: ${label}` : ''}`.replace(/[“”]/g, '');
}
