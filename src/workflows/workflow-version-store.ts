/** Every statement on the workflow_versions table: rows are written once and never change. */
import type { Tx } from '../db/data-source';
import { execute, queryRows } from '../db/sql';
import { definitionHash } from '../lib/definition-hash';
import type { WorkflowSource } from './workflow';

/** A version without its definition (which can be a megabyte). */
export interface WorkflowVersionRow {
  version: number;
  created_at: Date;
  /** Null for versions saved before the source was recorded. */
  source: WorkflowSource | null;
  definition_hash: string;
}

const SUMMARY_COLUMNS = 'version, created_at, source, definition_hash';

export async function insertWorkflowVersion(
  tx: Tx,
  workflowId: string,
  version: { version: number; raw: unknown; source: WorkflowSource },
): Promise<void> {
  // Stringified: pg would turn a top-level array into a Postgres array, and the raw form is what we keep.
  // The hash is kept beside it, so that a list of versions never has to read a definition.
  await execute(
    tx,
    'INSERT INTO workflow_versions (workflow_id, version, definition, source, definition_hash) VALUES ($1, $2, $3, $4, $5)',
    [workflowId, version.version, JSON.stringify(version.raw), version.source, definitionHash(version.raw)],
  );
}

/** The workflow's versions below `before` (all when null), newest first, at most `limit`. */
export async function selectVersionRows(
  tx: Tx,
  workflowId: string,
  options: { before: number | null; limit: number },
): Promise<WorkflowVersionRow[]> {
  return queryRows<WorkflowVersionRow>(
    tx,
    `SELECT ${SUMMARY_COLUMNS} FROM workflow_versions
      WHERE workflow_id = $1 AND ($2::int IS NULL OR version < $2)
      ORDER BY version DESC
      LIMIT $3`,
    [workflowId, options.before, options.limit],
  );
}

/** One version with its definition as it was given; null when the workflow has no such version. */
export async function findVersionRow(
  tx: Tx,
  workflowId: string,
  version: number,
): Promise<(WorkflowVersionRow & { definition: unknown }) | null> {
  const rows = await queryRows<WorkflowVersionRow & { definition: unknown }>(
    tx,
    `SELECT ${SUMMARY_COLUMNS}, definition FROM workflow_versions WHERE workflow_id = $1 AND version = $2`,
    [workflowId, version],
  );
  return rows[0] ?? null;
}

/** Only the definition of one version, as it was given; null when there is no such version. */
export async function findVersionDefinition(
  tx: Tx,
  workflowId: string,
  version: number,
): Promise<{ definition: unknown } | null> {
  const rows = await queryRows<{ definition: unknown }>(
    tx,
    'SELECT definition FROM workflow_versions WHERE workflow_id = $1 AND version = $2',
    [workflowId, version],
  );
  return rows[0] ?? null;
}
