/** Every statement on contact_imports: one import or bulk action, its counters and its cursor. */
import type { Tx } from '../../db/data-source';
import { execute, queryRows } from '../../db/sql';
import { isUuid } from '../contact-store';
import type { ImportKind, StoredImportStatus } from './import-schema';

const COLUMNS = `id, account_id, kind, status, columns, tags, mapping, workflow_id, search, file_name, total, processed,
  created, updated, failed, skipped, last_row, error, created_at, started_at, finished_at, rows_purged_at`;

export interface ContactImportRow {
  id: string;
  account_id: string;
  kind: ImportKind;
  status: StoredImportStatus;
  columns: string[];
  tags: string[];
  mapping: Record<string, string | null>;
  workflow_id: string | null;
  search: { q?: string; tag?: string } | null;
  file_name: string | null;
  total: number;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  skipped: number;
  last_row: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  rows_purged_at: Date | null;
}

export interface NewImport {
  accountId: string;
  kind: ImportKind;
  status: 'staging' | 'staged';
  tags?: string[];
  mapping?: Record<string, string | null>;
  workflowId?: string | null;
  search?: { q?: string; tag?: string } | null;
  fileName?: string | null;
}

export async function insertImport(tx: Tx, row: NewImport): Promise<ContactImportRow> {
  const rows = await queryRows<ContactImportRow>(
    tx,
    `INSERT INTO contact_imports (account_id, kind, status, tags, mapping, workflow_id, search, file_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      row.accountId,
      row.kind,
      row.status,
      row.tags ?? [],
      JSON.stringify(row.mapping ?? {}),
      row.workflowId ?? null,
      row.search ? JSON.stringify(row.search) : null,
      row.fileName ?? null,
    ],
  );
  return rows[0]!;
}

/** The account's import or bulk action; null for another account's, an unknown id, or no uuid at all. */
export async function findImport(tx: Tx, accountId: string, importId: string): Promise<ContactImportRow | null> {
  if (!isUuid(importId)) return null;
  const rows = await queryRows<ContactImportRow>(
    tx,
    `SELECT ${COLUMNS} FROM contact_imports WHERE id = $1 AND account_id = $2`,
    [importId, accountId],
  );
  return rows[0] ?? null;
}

/**
 * The job's view of an import, locked until the transaction ends: two deliveries of the same job (a
 * stalled one and its redelivery) take turns batch by batch, each reading the cursor the other left.
 */
export async function lockImport(tx: Tx, importId: string): Promise<ContactImportRow | null> {
  const rows = await queryRows<ContactImportRow>(
    tx,
    `SELECT ${COLUMNS} FROM contact_imports WHERE id = $1 FOR UPDATE`,
    [importId],
  );
  return rows[0] ?? null;
}

/** The end of staging: the header, how many rows, the tags and mapping, and `staged` (wait for a confirmation) or `queued`. */
export async function finishStaging(
  tx: Tx,
  importId: string,
  staged: {
    columns: string[];
    total: number;
    status: 'staged' | 'queued';
    tags: string[];
    mapping: Record<string, string | null>;
  },
): Promise<void> {
  await execute(
    tx,
    `UPDATE contact_imports SET columns = $2, total = $3, status = $4, tags = $5, mapping = $6
     WHERE id = $1 AND status = 'staging'`,
    [importId, staged.columns, staged.total, staged.status, staged.tags, JSON.stringify(staged.mapping)],
  );
}

/** staged → queued (with the mapping chosen on the confirm page); false when it was not staged. */
export async function markQueued(
  tx: Tx,
  options: { accountId: string; importId: string; mapping?: Record<string, string | null> },
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `UPDATE contact_imports SET status = 'queued', mapping = coalesce($3::jsonb, mapping)
     WHERE id = $1 AND account_id = $2 AND status = 'staged' RETURNING id`,
    [options.importId, options.accountId, options.mapping ? JSON.stringify(options.mapping) : null],
  );
  return rows.length > 0;
}

export async function markRunning(tx: Tx, importId: string): Promise<void> {
  await execute(
    tx,
    `UPDATE contact_imports SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1`,
    [importId],
  );
}

export interface BatchCounts {
  lastRow: number;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  skipped: number;
  done: boolean;
}

/** Adds one batch's counts and moves the cursor, in the batch's transaction: a row is counted once. */
export async function recordBatch(tx: Tx, importId: string, batch: BatchCounts): Promise<void> {
  await execute(
    tx,
    `UPDATE contact_imports SET last_row = $2, processed = processed + $3, created = created + $4,
       updated = updated + $5, failed = failed + $6, skipped = skipped + $7,
       status = CASE WHEN $8 THEN 'completed' ELSE status END,
       finished_at = CASE WHEN $8 THEN now() ELSE finished_at END
     WHERE id = $1`,
    [importId, batch.lastRow, batch.processed, batch.created, batch.updated, batch.failed, batch.skipped, batch.done],
  );
}

/** The whole job failed (its last attempt): the reason, for the page and the API. */
export async function markImportFailed(tx: Tx, importId: string, error: string): Promise<void> {
  await execute(
    tx,
    `UPDATE contact_imports SET status = 'failed', error = $2, finished_at = now()
     WHERE id = $1 AND status IN ('queued', 'running')`,
    [importId, error],
  );
}

/** An upload that failed, or a staged import the marketer cancelled; its rows go with it. */
export async function deleteImport(tx: Tx, accountId: string, importId: string): Promise<boolean> {
  if (!isUuid(importId)) return false;
  const rows = await queryRows<{ id: string }>(
    tx,
    `DELETE FROM contact_imports WHERE id = $1 AND account_id = $2 AND status IN ('staging', 'staged') RETURNING id`,
    [importId, accountId],
  );
  return rows.length > 0;
}

/**
 * The account's leftovers, swept when it starts a new import: uploads that never finished staging
 * and imports staged but never confirmed, after a day (deleted with their rows); and the failed
 * rows of imports finished more than 30 days ago (the import itself stays, marked purged).
 * Reads the account's imports by (account_id, created_at); no other account's rows are touched.
 * One transaction, so an import is marked purged exactly when its rows are gone.
 */
export async function sweepAccountImports(tx: Tx, accountId: string): Promise<void> {
  await execute(
    tx,
    `DELETE FROM contact_imports
      WHERE account_id = $1 AND created_at < now() - interval '1 day' AND status IN ('staging', 'staged')`,
    [accountId],
  );
  const purged = await queryRows<{ id: string }>(
    tx,
    `UPDATE contact_imports SET rows_purged_at = now()
      WHERE account_id = $1 AND created_at < now() - interval '30 days'
        AND finished_at < now() - interval '30 days' AND rows_purged_at IS NULL
      RETURNING id`,
    [accountId],
  );
  // One import at a time, by the primary key's prefix: a join could read every import's rows.
  for (const { id } of purged)
    await execute(tx, 'DELETE FROM contact_import_rows WHERE import_id = $1 AND reason IS NOT NULL', [id]);
}
