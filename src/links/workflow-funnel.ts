/**
 * A workflow's funnel for a period: how many of its runs reached each step and how that step
 * stands, and for a workflow that mints one-time links, minted → page opened → booked. The same
 * runs for both: real runs (not tests) started in [from, to). Here, in links/, because it reads the
 * links table as well as the engine's; workflows/ sits below links and may not.
 */
import type { Tx } from '../db/data-source';
import { selectStepFunnel, type StepFunnelRow } from '../engine/run-step-views-store';
import { getWorkflow, loadWorkflowVersion } from '../workflows/workflow-repository';
import { selectLinkFunnel, type LinkFunnelRow } from './link-store';

export interface FunnelStep {
  stepId: string;
  /** The step's name in the current version, or its id. */
  name: string;
  reached: number;
  completed: number;
  failed: number;
  /** Waiting (or being run right now). */
  waiting: number;
  skipped: number;
}

export interface WorkflowFunnel {
  from: string;
  to: string;
  /** In the current version's order; steps only older versions had come after, named by their id. */
  steps: FunnelStep[];
  /** `opened` counts a first view of the booking page, which mail scanners may cause too. */
  links: LinkFunnelRow;
}

const EMPTY: Omit<StepFunnelRow, 'step_id'> = { reached: 0, completed: 0, failed: 0, waiting: 0, skipped: 0 };

export async function workflowFunnel(
  tx: Tx,
  options: { accountId: string; idOrSlug: string; from: Date; to: Date },
): Promise<WorkflowFunnel> {
  const workflow = await getWorkflow(tx, options.accountId, options.idOrSlug);
  const definition = await loadWorkflowVersion(tx, workflow.id, workflow.version);
  const period = { workflowId: workflow.id, from: options.from, to: options.to };
  const rows = new Map((await selectStepFunnel(tx, period)).map((row) => [row.step_id, row]));
  const line = (stepId: string, name: string): FunnelStep => {
    const { step_id: _id, ...counts } = rows.get(stepId) ?? { step_id: stepId, ...EMPTY };
    return { stepId, name, ...counts };
  };
  const current = definition.steps.map((step) => line(step.id, step.name ?? step.id));
  const known = new Set(definition.steps.map((step) => step.id));
  const older = [...rows.keys()]
    .filter((id) => !known.has(id))
    .sort()
    .map((id) => line(id, id));
  return {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    steps: [...current, ...older],
    links: await selectLinkFunnel(tx, period),
  };
}
