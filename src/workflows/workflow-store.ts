/** Every statement on the workflows table; no validation here. */
import type { Tx } from '../db/data-source';
import { definitionShapeSchema, type WorkflowDefinition } from '../definition/definition-schema';
import type { Trigger } from '../definition/trigger-schema';
import { execute, queryRows } from '../db/sql';
import { NotFoundError } from '../lib/errors';
import type { Workflow, WorkflowSource, WorkflowStatus } from './workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A workflows row joined with its current version's definition. */
export interface WorkflowRow {
  id: string;
  account_id: string;
  slug: string;
  name: string;
  status: WorkflowStatus;
  version: number;
  trigger_type: string;
  source: WorkflowSource;
  file_checksum: string | null;
  created_at: Date;
  updated_at: Date;
  definition: unknown;
}

/** The row and its current version's definition: the columns of WorkflowRow. */
const SELECT_CURRENT = `
  SELECT w.id, w.account_id, w.slug, w.name, w.status, w.version, w.trigger_type, w.source, w.file_checksum,
         w.created_at, w.updated_at, v.definition
    FROM workflows w
    JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version`;

export function toWorkflow(row: WorkflowRow): Workflow {
  // Stored versions were validated when written; reading only the shape keeps an old version
  // viewable even if an action's config rules have tightened since.
  const shape = definitionShapeSchema.safeParse(row.definition);
  const raw = (row.definition ?? {}) as { trigger?: Trigger; allowReentry?: boolean };
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    version: row.version,
    trigger: shape.success ? shape.data.trigger : (raw.trigger as Trigger),
    allowReentry: shape.success ? shape.data.allowReentry : raw.allowReentry === true,
    source: row.source,
    definition: row.definition,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

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
    await execute(tx, `SELECT 1 FROM workflows WHERE account_id = $1 AND ${column} = $2 FOR UPDATE`, [
      accountId,
      idOrSlug,
    ]);
  }
  const rows = await queryRows<WorkflowRow>(tx, `${SELECT_CURRENT} WHERE w.account_id = $1 AND w.${column} = $2`, [
    accountId,
    idOrSlug,
  ]);
  return rows[0] ?? null;
}

export async function requireWorkflowRow(
  tx: Tx,
  accountId: string,
  idOrSlug: string,
  options: { forUpdate?: boolean } = {},
): Promise<WorkflowRow> {
  const row = await findWorkflowRow(tx, accountId, idOrSlug, options);
  if (!row) throw new NotFoundError('Workflow');
  return row;
}

/** The workflow's id (by id or slug), without reading its definition; NotFoundError('Workflow') when the account has none. */
export async function requireWorkflowId(tx: Tx, accountId: string, idOrSlug: string): Promise<string> {
  const column = UUID.test(idOrSlug) ? 'id' : 'slug';
  const rows = await queryRows<{ id: string }>(
    tx,
    `SELECT id FROM workflows WHERE account_id = $1 AND ${column} = $2`,
    [accountId, idOrSlug],
  );
  if (!rows[0]) throw new NotFoundError('Workflow');
  return rows[0].id;
}

/** Page of the account's workflows in slug order, after `afterSlug`. */
export async function selectWorkflowRows(
  tx: Tx,
  accountId: string,
  options: { status?: string; afterSlug?: string; limit: number },
): Promise<WorkflowRow[]> {
  return queryRows<WorkflowRow>(
    tx,
    `${SELECT_CURRENT}
      WHERE w.account_id = $1 AND ($2::text IS NULL OR w.status = $2) AND ($3::text IS NULL OR w.slug > $3)
      ORDER BY w.slug
      LIMIT $4`,
    [accountId, options.status ?? null, options.afterSlug ?? null, options.limit],
  );
}

/** Which account's workflows of which trigger type a lookup asks for. */
export interface TriggerKey {
  accountId: string;
  triggerType: string;
}

/**
 * The active workflows of each (account, trigger type) asked for, at their current version number,
 * oldest first, in one statement (an event batch asks for all of its keys at once): `n` is the key's
 * index in `keys`. Each key is an index lookup on (account_id, trigger_type).
 */
export async function selectActiveWorkflowsByTriggers(
  tx: Tx,
  keys: TriggerKey[],
): Promise<{ n: number; id: string; slug: string; name: string; version: number }[]> {
  if (keys.length === 0) return [];
  return queryRows<{ n: number; id: string; slug: string; name: string; version: number }>(
    tx,
    `SELECT (k.n - 1)::int AS n, w.id, w.slug, w.name, w.version
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS k(account_id, trigger_type, n)
       JOIN workflows w ON w.account_id = k.account_id AND w.trigger_type = k.trigger_type AND w.status = 'active'
      ORDER BY k.n, w.created_at, w.id`,
    [keys.map((key) => key.accountId), keys.map((key) => key.triggerType)],
    { prepare: 'active-workflows-by-triggers' },
  );
}

/** Every account's active workflows with their current version's definition as written, by account then slug. */
export async function selectActiveWorkflowDefinitions(
  tx: Tx,
): Promise<{ id: string; account_id: string; slug: string; definition: unknown }[]> {
  return queryRows<{ id: string; account_id: string; slug: string; definition: unknown }>(
    tx,
    `SELECT w.id, w.account_id, w.slug, v.definition
       FROM workflows w
       JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version
      WHERE w.status = 'active'
      ORDER BY w.account_id, w.slug`,
  );
}

/** Names of the account's workflows by id. */
export async function selectWorkflowNames(tx: Tx, accountId: string): Promise<{ id: string; name: string }[]> {
  return queryRows<{ id: string; name: string }>(tx, 'SELECT id, name FROM workflows WHERE account_id = $1', [
    accountId,
  ]);
}

/** The account's workflow's current version number; null when the account has no such workflow. */
export async function findCurrentVersion(tx: Tx, accountId: string, workflowId: string): Promise<number | null> {
  const rows = await queryRows<{ version: number }>(
    tx,
    'SELECT version FROM workflows WHERE id = $1 AND account_id = $2',
    [workflowId, accountId],
  );
  return rows[0]?.version ?? null;
}

/** Namespace of the sync's advisory lock (the second key is the account): arbitrary but fixed. */
const SYNC_LOCK_NAMESPACE = 7_346_215;

/** Holds the account's workflow-file sync lock until the transaction ends: concurrent syncs queue on it. */
export async function lockWorkflowSync(tx: Tx, accountId: string): Promise<void> {
  await execute(tx, 'SELECT pg_advisory_xact_lock($1, hashtext($2))', [SYNC_LOCK_NAMESPACE, accountId]);
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
  const rows = await queryRows<{ id: string }>(
    tx,
    `INSERT INTO workflows (account_id, slug, name, status, version, trigger_type, source, file_checksum)
     VALUES ($1, $2, $3, $4, 1, $5, $6, $7)
     ON CONFLICT (account_id, slug) DO NOTHING
     RETURNING id`,
    [
      row.accountId,
      row.definition.id,
      row.definition.name,
      row.definition.status,
      row.definition.trigger.type,
      row.source,
      row.fileChecksum,
    ],
  );
  return rows[0]?.id ?? null;
}

/** Points the row at a new current version; the row's name, status and trigger follow it. */
export async function updateWorkflowRow(
  tx: Tx,
  workflowId: string,
  update: { version: number; definition: WorkflowDefinition; source: WorkflowSource; fileChecksum: string | null },
): Promise<void> {
  await execute(
    tx,
    `UPDATE workflows
        SET version = $2, name = $3, status = $4, trigger_type = $5, source = $6, file_checksum = $7, updated_at = now()
      WHERE id = $1`,
    [
      workflowId,
      update.version,
      update.definition.name,
      update.definition.status,
      update.definition.trigger.type,
      update.source,
      update.fileChecksum,
    ],
  );
}
