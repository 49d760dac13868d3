import type { StepDefinition, WorkflowDefinition } from '../../../definition/definition-schema';
import { defaultNext } from '../../../definition/step-navigation';
import { stepTypeOf, type StepTypeLookup } from '../../../definition/step-types';

export interface GraphEdge {
  from: string;
  to: string;
  /** `then`, `else`, `onEvent`, `onTimeout` or `next`; two exits to the same step share an arrow (`then / else`). */
  label: string;
}

/**
 * The exits a wait takes to its default next step: whichever of `onEvent` (when it waits for an
 * event) and `onTimeout` the step does not name. Empty when it names both: it never falls through.
 */
function waitDefaultExits(step: StepDefinition, named: Set<string>): string[] {
  const exits: string[] = [];
  if (step.config.event !== undefined && !named.has('onEvent')) exits.push('onEvent');
  if (!named.has('onTimeout')) exits.push('onTimeout');
  return exits;
}

/**
 * The arrows of a parsed workflow, as the engine will follow them: each step type's named targets
 * (`targets()`), then its default next step (`next`, else the following step) unless the step type
 * never falls through (`fallsThrough()`: if_else, end).
 */
export function graphEdges(definition: WorkflowDefinition, lookup: StepTypeLookup = stepTypeOf): GraphEdge[] {
  const edges = new Map<string, GraphEdge>();
  const add = (from: string, to: string, label: string): void => {
    const key = `${from}\u0000${to}`;
    const existing = edges.get(key);
    if (existing) existing.label = `${existing.label} / ${label}`;
    else edges.set(key, { from, to, label });
  };
  definition.steps.forEach((step, index) => {
    const stepType = lookup(step.type);
    const targets = stepType?.targets?.(step.config) ?? [];
    for (const target of targets) add(step.id, target.stepId, target.path);
    if (!(stepType?.fallsThrough?.(step.config) ?? true)) return;
    const next = defaultNext(definition, index);
    if (next === null) return;
    const labels =
      step.type === 'wait' ? waitDefaultExits(step, new Set(targets.map((target) => target.path))) : ['next'];
    if (labels.length > 0) add(step.id, next, labels.join(' / '));
  });
  return [...edges.values()];
}
