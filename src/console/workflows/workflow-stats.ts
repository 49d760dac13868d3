import type { Tx } from '../../db/data-source';

export interface RunCounts {
  /** Running or waiting. */
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
}

const EMPTY: RunCounts = { active: 0, completed: 0, failed: 0, cancelled: 0 };

/** Run counts per workflow (the list's columns), from the (workflow_id, status) index. */
export async function runCountsByWorkflow(tx: Tx, accountId: string, workflowIds: string[]): Promise<Map<string, RunCounts>> {
  const counts = new Map<string, RunCounts>(workflowIds.map((id) => [id, { ...EMPTY }]));
  if (workflowIds.length === 0) return counts;
  const rows: { workflow_id: string; status: string; count: string }[] = await tx.query(
    `SELECT workflow_id, status, count(*) FROM runs
     WHERE workflow_id = ANY($1::uuid[]) AND account_id = $2 GROUP BY workflow_id, status`,
    [workflowIds, accountId],
  );
  for (const row of rows) {
    const entry = counts.get(row.workflow_id);
    if (!entry) continue;
    const n = Number(row.count);
    if (row.status === 'running' || row.status === 'waiting') entry.active += n;
    else if (row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled') entry[row.status] += n;
  }
  return counts;
}

/** How many live runs (running or waiting) stand at each step of a workflow, whatever their version. */
export async function runsAtSteps(tx: Tx, accountId: string, workflowId: string): Promise<Map<string, number>> {
  const rows: { current_step_id: string; count: string }[] = await tx.query(
    `SELECT current_step_id, count(*) FROM runs
     WHERE workflow_id = $1 AND account_id = $2 AND status IN ('running', 'waiting') AND current_step_id IS NOT NULL
     GROUP BY current_step_id`,
    [workflowId, accountId],
  );
  return new Map(rows.map((row) => [row.current_step_id, Number(row.count)]));
}

/** Names of the account's workflows by id (runs show which workflow they belong to). */
export async function workflowNames(tx: Tx, accountId: string): Promise<Map<string, string>> {
  const rows: { id: string; name: string }[] = await tx.query('SELECT id, name FROM workflows WHERE account_id = $1', [accountId]);
  return new Map(rows.map((row) => [row.id, row.name]));
}
