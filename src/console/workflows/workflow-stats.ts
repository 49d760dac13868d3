import type { Tx } from '../../db/data-source';
import { countLiveRunsByStep, countRunsByWorkflow } from '../../engine/run-store';
import { selectWorkflowNames } from '../../workflows/workflow-store';

export interface RunCounts {
  /** Running or waiting. */
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
}

const EMPTY: RunCounts = { active: 0, completed: 0, failed: 0, cancelled: 0 };

/** Run counts per workflow (the list's columns), from the (workflow_id, status) index. */
export async function runCountsByWorkflow(
  tx: Tx,
  accountId: string,
  workflowIds: string[],
): Promise<Map<string, RunCounts>> {
  const counts = new Map<string, RunCounts>(workflowIds.map((id) => [id, { ...EMPTY }]));
  if (workflowIds.length === 0) return counts;
  const rows = await countRunsByWorkflow(tx, accountId, workflowIds);
  for (const row of rows) {
    const entry = counts.get(row.workflow_id);
    if (!entry) continue;
    const n = Number(row.count);
    if (row.status === 'running' || row.status === 'waiting') entry.active += n;
    else if (row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled')
      entry[row.status] += n;
  }
  return counts;
}

/** How many live runs (running or waiting) stand at each step of a workflow, whatever their version. */
export async function runsAtSteps(tx: Tx, accountId: string, workflowId: string): Promise<Map<string, number>> {
  const rows = await countLiveRunsByStep(tx, accountId, workflowId);
  return new Map(rows.map((row) => [row.current_step_id, Number(row.count)]));
}

/** Names of the account's workflows by id (runs show which workflow they belong to). */
export async function workflowNames(tx: Tx, accountId: string): Promise<Map<string, string>> {
  const rows = await selectWorkflowNames(tx, accountId);
  return new Map(rows.map((row) => [row.id, row.name]));
}
