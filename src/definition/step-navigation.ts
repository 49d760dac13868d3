import type { StepDefinition, WorkflowDefinition } from './definition-schema';

export function findStepIndex(definition: WorkflowDefinition, stepId: string): number {
  return definition.steps.findIndex((step) => step.id === stepId);
}

export function findStep(definition: WorkflowDefinition, stepId: string): StepDefinition | undefined {
  return definition.steps.find((step) => step.id === stepId);
}

/** Where a step goes when its action names no other step: its `next`, else the following step; null ends the run. */
export function defaultNext(definition: WorkflowDefinition, stepIndex: number): string | null {
  const step = definition.steps[stepIndex];
  if (!step) return null;
  return step.next ?? definition.steps[stepIndex + 1]?.id ?? null;
}
