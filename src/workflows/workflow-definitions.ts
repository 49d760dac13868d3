import type { Tx } from '../db/data-source';
import type { WorkflowDefinition } from '../engine/definition/definition-schema';
import { parseDefinition } from '../engine/definition/parse-definition';
import { NotFoundError } from '../lib/errors';
import type { ActiveWorkflow } from './workflow';

/** Versions never change once written, so a parsed one is kept for the life of the process. */
const versionCache = new Map<string, WorkflowDefinition>();
const VERSION_CACHE_SIZE = 2000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * One version of a workflow, parsed (configs included) and cached by (workflowId, version).
 * The result is frozen: it is shared by every caller.
 */
export async function loadWorkflowVersion(tx: Tx, workflowId: string, version: number): Promise<WorkflowDefinition> {
  const key = `${workflowId}:${version}`;
  const cached = versionCache.get(key);
  if (cached) return cached;
  const rows: { definition: unknown }[] = await tx.query(
    'SELECT definition FROM workflow_versions WHERE workflow_id = $1 AND version = $2',
    [workflowId, version],
  );
  if (!rows[0]) throw new NotFoundError('Workflow version');
  const definition = deepFreeze(parseDefinition(rows[0].definition));
  if (versionCache.size >= VERSION_CACHE_SIZE) versionCache.delete(versionCache.keys().next().value as string);
  versionCache.set(key, definition);
  return definition;
}

/** The account's active workflows started by `triggerType`, at their current version, oldest first. */
export async function findActiveWorkflowsByTrigger(tx: Tx, accountId: string, triggerType: string): Promise<ActiveWorkflow[]> {
  const rows: { id: string; slug: string; name: string; version: number }[] = await tx.query(
    `SELECT id, slug, name, version FROM workflows
      WHERE account_id = $1 AND trigger_type = $2 AND status = 'active'
      ORDER BY created_at, id`,
    [accountId, triggerType],
  );
  const workflows: ActiveWorkflow[] = [];
  // One after another: the queries may share a transaction's single connection.
  for (const row of rows) workflows.push({ ...row, definition: await loadWorkflowVersion(tx, row.id, row.version) });
  return workflows;
}
