import { stepTitle, TARGET_KEYS, type Draft, type RawStep } from './draft';
import { defaultNextIndex, usesDefaultNext, type Exit } from './graph-model';

/** Where a new step goes: on the trigger's path, or on one path out of a step. */
export type InsertAt = { from: -1 } | { from: number; exit: Exit };

/** What a freshly inserted step holds before its form is filled in. */
const STARTERS: Record<string, Record<string, unknown>> = {
  wait: { duration: '1d' },
  if_else: { conditions: [{ field: 'contact.tags', op: 'contains', value: '' }], match: 'all' },
};

export function uniqueStepId(draft: Draft, type: string): string {
  const base = type.replace(/_/g, '-');
  const taken = new Set(draft.steps.map((step) => step.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Drops a `next` that names the very step that follows anyway, so the YAML stays as a person writes it. */
function tidy(steps: RawStep[]): RawStep[] {
  return steps.map((step, index) => {
    if (
      step.next !== undefined &&
      steps[index + 1]?.id === step.next &&
      step.type !== 'if_else' &&
      step.type !== 'end'
    ) {
      const { next: _next, ...rest } = step;
      return rest as RawStep;
    }
    return step;
  });
}

/** Writes a step's fall-through as an explicit `next`, so moving the steps after it changes nothing. */
function pinDefaultNext(steps: RawStep[], index: number): void {
  const step = steps[index];
  const following = steps[index + 1];
  if (step && following && step.next === undefined && usesDefaultNext(step))
    steps[index] = { ...step, next: following.id };
}

/**
 * Inserts a step of `type` on a path: the path now leads to the new step, and the new step leads
 * where the path led. Returns the new definition and the new step's index.
 */
export function insertStep(draft: Draft, at: InsertAt, type: string): { draft: Draft; index: number } {
  const steps = draft.steps.map((step) => ({ ...step }));
  const id = uniqueStepId(draft, type);
  const from = at.from;
  const exit = 'exit' in at ? at.exit : null;
  const targetIndex = !exit
    ? steps.length > 0
      ? 0
      : -1
    : exit.kind === 'next'
      ? defaultNextIndex(draft, from)
      : steps.findIndex((step) => step.id === steps[from]?.[exit.key]);
  const target = steps[targetIndex];

  if (from >= 0 && exit) {
    if (exit.kind === 'target') {
      pinDefaultNext(steps, from);
      steps[from] = { ...steps[from]!, [exit.key]: id };
    } else if (steps[from]!.next !== undefined) {
      steps[from] = { ...steps[from]!, next: id };
    }
  }
  const step: RawStep = { id, type, ...(STARTERS[type] ?? {}) };
  if (type === 'if_else' && target) Object.assign(step, { then: target.id, else: target.id });
  const index = from + 1;
  steps.splice(index, 0, step);
  if (target && type !== 'if_else' && type !== 'end' && steps[index + 1]?.id !== target.id) step.next = target.id;
  return { draft: { ...draft, steps: tidy(steps) }, index };
}

/** Why a step cannot be deleted, in words for the person who asked. */
export class RefusedEdit extends Error {}

const refsTo = (step: RawStep, id: string): string[] => [
  ...(step.next === id ? ['next'] : []),
  ...(TARGET_KEYS[step.type] ?? []).filter((key) => step[key] === id),
];

/**
 * Deletes a step and joins its neighbours: whatever led to it now leads where it led. Refused (with
 * the reason) where that would cut a branch loose: a step with exits to different steps, or an End
 * that other steps jump to.
 */
export function deleteStep(draft: Draft, index: number): Draft {
  const doomed = draft.steps[index];
  if (!doomed) return draft;
  const title = stepTitle(doomed);
  const outs = new Set<string>();
  for (const key of TARGET_KEYS[doomed.type] ?? [])
    if (typeof doomed[key] === 'string') outs.add(doomed[key] as string);
  const nextIndex = usesDefaultNext(doomed) ? defaultNextIndex(draft, index) : -1;
  if (nextIndex >= 0) outs.add(draft.steps[nextIndex]!.id);
  if (outs.size > 1)
    throw new RefusedEdit(
      `“${title}” leads to ${outs.size} different steps; point its exits at one step first, or delete the steps of one branch.`,
    );
  const successor = [...outs][0];

  const steps = draft.steps.map((step) => ({ ...step }));
  const referrers = steps.filter((step, at) => at !== index && refsTo(step, doomed.id).length > 0);
  const before = steps[index - 1];
  const fallsInto = before !== undefined && before.next === undefined && usesDefaultNext(before);
  if (successor === undefined) {
    if (referrers.length > 0)
      throw new RefusedEdit(
        `“${stepTitle(referrers[0]!)}” leads to “${title}”, which leads nowhere after it; point that exit elsewhere first.`,
      );
    if (fallsInto && index < steps.length - 1)
      throw new RefusedEdit(
        `“${stepTitle(before)}” would run on into “${stepTitle(steps[index + 1]!)}”; add an End after it first.`,
      );
  }
  if (index === 0 && successor !== undefined && steps[1]?.id !== successor)
    throw new RefusedEdit(`The workflow would start at “${stepTitle(steps[1]!)}” instead; move that step first.`);

  if (successor !== undefined) {
    for (const [at, step] of steps.entries()) {
      if (at === index) continue;
      for (const key of refsTo(step, doomed.id)) steps[at] = { ...steps[at]!, [key]: successor };
    }
    if (fallsInto && steps[index + 1]?.id !== successor) steps[index - 1] = { ...steps[index - 1]!, next: successor };
  }
  steps.splice(index, 1);
  return { ...draft, steps: tidy(steps) };
}

/** Replaces one step (its form changed it). */
export function replaceStep(draft: Draft, index: number, step: RawStep): Draft {
  return { ...draft, steps: draft.steps.map((old, at) => (at === index ? step : old)) };
}
