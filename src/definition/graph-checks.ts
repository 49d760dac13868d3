import type { IssueDetail } from '../lib/errors';
import { stepLabel } from './step-labels';

/** One step as the graph checks see it. `targets: null` means its config did not parse: edges unknown. */
export interface GraphStep {
  id: string | undefined;
  /** What people call the step; messages name it so, else by its id. */
  name?: string | undefined;
  next: string | undefined;
  /**
   * Jumps named by the action's config, each with its path inside the step (`then`, `onEvent`) and
   * what people call that exit ("Yes", "No booking"; step-labels.ts). Default label: the path.
   */
  targets: { path: string; stepId: string; label?: string }[] | null;
  fallsThrough: boolean;
}

interface Edge {
  from: number;
  to: number;
  /** Where the edge is written, for the issue that points at it. */
  path: string;
  /** The written exit's label; undefined for `next` and for falling through to the following step. */
  exit?: string;
}

const nameOf = (steps: readonly GraphStep[], index: number): string => `'${stepLabel(steps[index], index)}'`;

/** "'No booking' of 'Wait two days'" for an exit, "'Wait two days'" for its next: who goes somewhere. */
const leaving = (steps: readonly GraphStep[], from: number, exit: string | undefined): string =>
  exit === undefined ? nameOf(steps, from) : `'${exit}' of ${nameOf(steps, from)}`;

const stepPath = (index: number, inner = ''): string =>
  inner === '' ? `steps[${index}]` : inner.startsWith('[') ? `steps[${index}]${inner}` : `steps[${index}].${inner}`;

function checkIds(steps: readonly GraphStep[]): { indexById: Map<string, number>; issues: IssueDetail[] } {
  const indexById = new Map<string, number>();
  const issues: IssueDetail[] = [];
  steps.forEach((step, index) => {
    if (step.id === undefined) return;
    const first = indexById.get(step.id);
    if (first === undefined) indexById.set(step.id, index);
    else
      issues.push({
        path: stepPath(index, 'id'),
        message: `${nameOf(steps, index)} has the id '${step.id}', which step ${first + 1} (${nameOf(steps, first)}) already has: each step needs its own id`,
      });
  });
  return { indexById, issues };
}

/** Outgoing edges of each step to steps that exist; reports every jump to a step that does not. */
function buildEdges(
  steps: readonly GraphStep[],
  indexById: Map<string, number>,
): { edges: Edge[][]; issues: IssueDetail[] } {
  const issues: IssueDetail[] = [];
  const resolve = (from: number, stepId: string, path: string, exit?: string): Edge[] => {
    const to = indexById.get(stepId);
    if (to !== undefined) return [{ from, to, path, ...(exit === undefined ? {} : { exit }) }];
    const goes = exit === undefined ? 'goes next to' : 'goes to';
    issues.push({ path, message: `${leaving(steps, from, exit)} ${goes} '${stepId}', which does not exist` });
    return [];
  };
  const edges = steps.map((step, index) => {
    const out: Edge[] = [];
    for (const target of step.targets ?? [])
      out.push(...resolve(index, target.stepId, stepPath(index, target.path), target.label ?? target.path));
    const explicitNext = step.next === undefined ? [] : resolve(index, step.next, stepPath(index, 'next'));
    // A step whose config is unknown has unknown edges: leave them out rather than guess.
    if (step.targets === null || !step.fallsThrough) return out;
    if (step.next !== undefined) return [...out, ...explicitNext];
    return index + 1 < steps.length ? [...out, { from: index, to: index + 1, path: stepPath(index) }] : out;
  });
  return { edges, issues };
}

/**
 * Depth-first search for back edges. A cycle always holds an edge that points to an earlier (or the
 * same) step, since falling through only goes forward: that written jump is the one we report.
 */
function findCycles(steps: readonly GraphStep[], edges: readonly Edge[][]): IssueDetail[] {
  const state = new Array<'new' | 'open' | 'done'>(edges.length).fill('new');
  const path: Edge[] = [];
  const reported = new Map<string, IssueDetail>();
  const visit = (node: number): void => {
    state[node] = 'open';
    for (const edge of edges[node] ?? []) {
      if (state[edge.to] === 'open') {
        const start = path.findIndex((entered) => entered.to === edge.to);
        const cycle = [...(start === -1 ? path : path.slice(start)), edge];
        const closing = [...cycle].reverse().find((e) => e.to <= e.from) ?? edge;
        const goes = closing.exit === undefined ? 'goes next back to' : 'goes back to';
        const message = `${leaving(steps, closing.from, closing.exit)} ${goes} ${nameOf(steps, closing.to)}, which makes a loop: a workflow must not loop`;
        reported.set(closing.path, { path: closing.path, message });
      } else if (state[edge.to] === 'new') {
        path.push(edge);
        visit(edge.to);
        path.pop();
      }
    }
    state[node] = 'done';
  };
  for (let node = 0; node < edges.length; node++) if (state[node] === 'new') visit(node);
  return [...reported.values()];
}

function findUnreachable(steps: readonly GraphStep[], edges: readonly Edge[][]): IssueDetail[] {
  const reached = new Set<number>([0]);
  const queue = [0];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const edge of edges[node] ?? []) {
      if (!reached.has(edge.to)) {
        reached.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return steps.flatMap((_step, index) =>
    reached.has(index)
      ? []
      : [{ path: stepPath(index), message: `${nameOf(steps, index)} can never run: no step leads to it` }],
  );
}

/**
 * Ids unique, every jump lands on a step, no cycles (so that a run and a step id name exactly one
 * execution), and every step reachable from the first. Reachability is only judged on a complete
 * graph (`complete`: every step's id, next and config are known); otherwise it would blame steps
 * for another step's typo.
 */
export function checkGraph(steps: readonly GraphStep[], complete: boolean): IssueDetail[] {
  const ids = checkIds(steps);
  const graph = buildEdges(steps, ids.indexById);
  const cycles = findCycles(steps, graph.edges);
  const canJudgeReach = complete && ids.issues.length === 0 && steps.every((step) => step.id !== undefined);
  const unreachable = canJudgeReach ? findUnreachable(steps, graph.edges) : [];
  return [...ids.issues, ...graph.issues, ...cycles, ...unreachable];
}
