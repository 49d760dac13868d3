/** SQL over the workflows and workflow_versions tables; no validation here. */
import type { Tx } from '../db/data-source';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { NotFoundError } from '../lib/errors';
import { definitionHash } from './definition-hash';
import { toWorkflow, type Workflow, type WorkflowRow, type WorkflowSource } from './workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SELECT_CURRENT = `
  SELECT w.*, v.definition
    FROM workflows w
    JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version`;

/**
 * The account's workflow by UUID or slug, with its current definition; null when there is none.
 * `forUpdate` locks the row first, in a statement of its own: a locking join would re-check the
 * row a concurrent update just moved to a new version against the old version row, and find nothing.
 */
export async function findWorkflowRow(
  tx: Tx,
  accountId: string,
  idOrSlug: string,
  options: { forUpdate?: boolean } = {},
): Promise<WorkflowRow | null> {
  const column = UUID.test(idOrSlug) ? 'id' : 'slug';
  if (options.forUpdate) {
    await tx.query(`SELECT 1 FROM workflows WHERE account_id = $1 AND ${column} = $2 FOR UPDATE`, [accountId, idOrSlug]);
  }
  const rows: WorkflowRow[] = await tx.query(`${SELECT_CURRENT} WHERE w.account_id = $1 AND w.${column} = $2`, [accountId, idOrSlug]);
  return rows[0] ?? null;
}

export async function requireWorkflowRow(tx: Tx, accountId: string, idOrSlug: string, options: { forUpdate?: boolean } = {}): Promise<WorkflowRow> {
  const row = await findWorkflowRow(tx, accountId, idOrSlug, options);
  if (!row) throw new NotFoundError('Workflow');
  return row;
}

/** By UUID or slug; NotFoundError('Workflow') when the account has no such workflow. */
export async function getWorkflow(tx: Tx, accountId: string, idOrSlug: string): Promise<Workflow> {
  return toWorkflow(await requireWorkflowRow(tx, accountId, idOrSlug));
}

/** Page of the account's workflows in slug order, after `afterSlug`. */
export async function selectWorkflowRows(
  tx: Tx,
  accountId: string,
  options: { status?: string; afterSlug?: string; limit: number },
): Promise<WorkflowRow[]> {
  return tx.query(
    `${SELECT_CURRENT}
      WHERE w.account_id = $1 AND ($2::text IS NULL OR w.status = $2) AND ($3::text IS NULL OR w.slug > $3)
      ORDER BY w.slug
      LIMIT $4`,
    [accountId, options.status ?? null, options.afterSlug ?? null, options.limit],
  );
}

export interface NewWorkflowRow {
  accountId: string;
  definition: WorkflowDefinition;
  source: WorkflowSource;
  fileChecksum: string | null;
}

/** Inserts the row at version 1; null when the account already has a workflow with that slug. */
export async function insertWorkflowRow(tx: Tx, row: NewWorkflowRow): Promise<string | null> {
  // ON CONFLICT rather than catching 23505: a unique violation would abort the caller's transaction.
  const rows: { id: string }[] = await tx.query(
    `INSERT INTO workflows (account_id, slug, name, status, version, trigger_type, source, file_checksum)
     VALUES ($1, $2, $3, $4, 1, $5, $6, $7)
     ON CONFLICT (account_id, slug) DO NOTHING
     RETURNING id`,
    [row.accountId, row.definition.id, row.definition.name, row.definition.status, row.definition.trigger.type, row.source, row.fileChecksum],
  );
  return rows[0]?.id ?? null;
}

/** Points the row at a new current version; the row's name, status and trigger follow it. */
export async function updateWorkflowRow(
  tx: Tx,
  workflowId: string,
  update: { version: number; definition: WorkflowDefinition; source: WorkflowSource; fileChecksum: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE workflows
        SET version = $2, name = $3, status = $4, trigger_type = $5, source = $6, file_checksum = $7, updated_at = now()
      WHERE id = $1`,
    [workflowId, update.version, update.definition.name, update.definition.status, update.definition.trigger.type, update.source, update.fileChecksum],
  );
}

export async function insertWorkflowVersion(tx: Tx, workflowId: string, version: { version: number; raw: unknown; source: WorkflowSource }): Promise<void> {
  // Stringified: pg would turn a top-level array into a Postgres array, and the raw form is what we keep.
  // The hash is kept beside it, so that a list of versions never has to read a definition.
  await tx.query('INSERT INTO workflow_versions (workflow_id, version, definition, source, definition_hash) VALUES ($1, $2, $3, $4, $5)', [
    workflowId,
    version.version,
    JSON.stringify(version.raw),
    version.source,
    definitionHash(version.raw),
  ]);
}

/** Every account's active workflows with their current version's definition as written, by account then slug. */
export async function selectActiveWorkflowDefinitions(tx: Tx): Promise<{ id: string; account_id: string; slug: string; definition: unknown }[]> {
  return tx.query(
    `SELECT w.id, w.account_id, w.slug, v.definition
       FROM workflows w
       JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version
      WHERE w.status = 'active'
      ORDER BY w.account_id, w.slug`,
  );
}
