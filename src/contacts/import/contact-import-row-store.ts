/**
 * Every statement on contact_import_rows: the rows an import or a bulk action works through, and
 * the failed ones kept for the error report. Reads go by the primary key (import_id, row_number) or
 * the partial index over failed rows.
 */
import type { Tx } from '../../db/data-source';
import { execute, queryRows } from '../../db/sql';

export interface StagedRow {
  row_number: number;
  /** csv: the cells as read. */
  data: string[] | null;
  /** bulk: the contact. */
  contact_id: string | null;
  /** Set when staging already found the row unusable (text PostgreSQL cannot store). */
  reason: string | null;
}

/** One multi-row INSERT for a batch of CSV rows (cells already made storable). */
export async function insertStagedRows(
  tx: Tx,
  importId: string,
  rows: { row: number; cells: string[]; reason: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await execute(
    tx,
    `INSERT INTO contact_import_rows (import_id, row_number, data, reason)
     SELECT $1, r.row, r.cells, r.reason FROM jsonb_to_recordset($2::jsonb) AS r(row integer, cells jsonb, reason text)`,
    [importId, JSON.stringify(rows)],
  );
}

/**
 * Stages the contacts of a console search (the same condition as contact-store's searchContactRows:
 * `pattern` against email, name either way round and phone; a tag), numbered newest first, in one
 * statement: the action then works on exactly the contacts that matched when it was asked for.
 * Reads the account's contacts by its index; returns how many.
 */
export async function stageSearchedContacts(
  tx: Tx,
  options: { importId: string; accountId: string; pattern: string | null; tag: string | null },
): Promise<number> {
  const rows = await queryRows<{ count: string }>(
    tx,
    `WITH staged AS (
       INSERT INTO contact_import_rows (import_id, row_number, contact_id)
       SELECT $1, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC), c.id
         FROM contacts c
        WHERE c.account_id = $2
          AND ($3::text IS NULL OR c.email ILIKE $3 OR concat_ws(' ', c.first_name, c.last_name) ILIKE $3
               OR concat_ws(' ', c.last_name, c.first_name) ILIKE $3 OR c.phone ILIKE $3)
          AND ($4::text IS NULL OR c.tags @> ARRAY[$4::text])
       RETURNING 1
     )
     SELECT count(*) FROM staged`,
    [options.importId, options.accountId, options.pattern, options.tag],
  );
  return Number(rows[0]!.count);
}

/** The next `limit` rows after the cursor, in order. */
export async function selectRowsAfter(
  tx: Tx,
  options: { importId: string; after: number; limit: number },
): Promise<StagedRow[]> {
  return queryRows<StagedRow>(
    tx,
    `SELECT row_number, data, contact_id, reason FROM contact_import_rows
      WHERE import_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3`,
    [options.importId, options.after, options.limit],
  );
}

/** Keeps the reason of each failed row of a batch. */
export async function markRowsFailed(
  tx: Tx,
  importId: string,
  failures: { row: number; reason: string }[],
): Promise<void> {
  if (failures.length === 0) return;
  await execute(
    tx,
    `UPDATE contact_import_rows r SET reason = f.reason
       FROM jsonb_to_recordset($2::jsonb) AS f(row integer, reason text)
      WHERE r.import_id = $1 AND r.row_number = f.row`,
    [importId, JSON.stringify(failures)],
  );
}

/** Deletes the batch's rows that went through (`after` < row_number ≤ `upTo`); failed ones stay for the report. */
export async function deleteDoneRows(
  tx: Tx,
  options: { importId: string; after: number; upTo: number },
): Promise<void> {
  await execute(
    tx,
    `DELETE FROM contact_import_rows
      WHERE import_id = $1 AND row_number > $2 AND row_number <= $3 AND reason IS NULL`,
    [options.importId, options.after, options.upTo],
  );
}

/** A page of the failed rows after `after`, in order (partial index contact_import_rows_failed). */
export async function selectFailedRows(
  tx: Tx,
  options: { importId: string; after: number; limit: number },
): Promise<{ row_number: number; data: string[] | null; contact_id: string | null; reason: string }[]> {
  return queryRows(
    tx,
    `SELECT row_number, data, contact_id, reason FROM contact_import_rows
      WHERE import_id = $1 AND reason IS NOT NULL AND row_number > $2 ORDER BY row_number LIMIT $3`,
    [options.importId, options.after, options.limit],
  );
}

/** How many staged contacts of a bulk action already have `tag` (contacts by primary key). */
export async function countStagedWithTag(tx: Tx, importId: string, tag: string): Promise<number> {
  const rows = await queryRows<{ count: string }>(
    tx,
    `SELECT count(*) FROM contact_import_rows r JOIN contacts c ON c.id = r.contact_id
      WHERE r.import_id = $1 AND c.tags @> ARRAY[$2::text]`,
    [importId, tag],
  );
  return Number(rows[0]!.count);
}

/** How many staged contacts of a bulk action were ever enrolled in the workflow (workflow_enrolments' key). */
export async function countStagedEnrolled(tx: Tx, importId: string, workflowId: string): Promise<number> {
  const rows = await queryRows<{ count: string }>(
    tx,
    `SELECT count(*) FROM contact_import_rows r
      WHERE r.import_id = $1
        AND EXISTS (SELECT 1 FROM workflow_enrolments e WHERE e.workflow_id = $2 AND e.contact_id = r.contact_id)`,
    [importId, workflowId],
  );
  return Number(rows[0]!.count);
}
