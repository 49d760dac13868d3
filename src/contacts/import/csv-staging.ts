import type { Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import type { Db } from '../../db/data-source';
import { ValidationError } from '../../lib/errors';
import { isStorableText } from '../../lib/storable-text';
import { toStorableText } from '../../lib/storable-json';
import { deleteImport, insertImport, sweepAccountImports } from './contact-import-store';
import { insertStagedRows } from './contact-import-row-store';
import { readCsvRecords } from './csv-reader';

/** Rows per multi-row INSERT while staging. */
export const STAGING_BATCH_ROWS = 1000;
/** …or fewer, when their cells pass this many characters: a batch's memory stays bounded. */
const STAGING_BATCH_CHARS = 4 * 1024 * 1024;
export const MAX_COLUMNS = 200;

export interface StagedUpload {
  importId: string;
  /** The header row, trimmed. */
  columns: string[];
  /** Data rows staged (row numbers 2 … total + 1: the header is row 1). */
  total: number;
}

const fileIssue = (message: string) => new ValidationError([{ path: 'file', message }]);

function checkHeader(record: string[] | undefined): string[] {
  if (!record) throw fileIssue('the file is empty: its first row must name the columns');
  const columns = record.map((cell) => cell.trim());
  if (columns.length > MAX_COLUMNS) throw fileIssue(`the file has ${columns.length} columns; at most ${MAX_COLUMNS}`);
  if (columns.every((column) => column === '')) throw fileIssue('the first row must name the columns');
  const seen = new Set<string>();
  for (const column of columns) {
    if (!isStorableText(column)) throw fileIssue('a column name contains a NUL or unpaired surrogate character');
    if (column !== '' && seen.has(column)) throw fileIssue(`the first row names the column "${column}" twice`);
    seen.add(column);
  }
  return columns;
}

/** A row as stored: text PostgreSQL cannot hold becomes U+FFFD, and the row fails saying which column had it. */
function stageable(cells: string[], columns: string[]): { cells: string[]; reason: string | null } {
  const bad = cells.findIndex((cell) => !isStorableText(cell));
  if (bad === -1) return { cells, reason: null };
  const name = columns[bad] ? `"${columns[bad]}"` : `${bad + 1}`;
  return {
    cells: cells.map(toStorableText),
    reason: `column ${name}: contains a NUL or unpaired surrogate character`,
  };
}

/**
 * Streams a CSV into contact_import_rows under a new import (status `staging`), ~1,000 rows per
 * INSERT, never holding more than a batch. `onHeader` may refuse the header (a mapping naming a
 * missing column) before any row is staged. On any failure (a malformed file, the upload cut off
 * or over its limit, a refused header) the import and its rows are deleted and the error rethrown:
 * nobody was given its id yet. A malformed file is a 400 at `file`.
 */
export async function stageCsvUpload(
  db: Db,
  options: { accountId: string; fileName: string | null; file: Readable; onHeader?: (columns: string[]) => void },
): Promise<StagedUpload> {
  await db.transaction((tx) => sweepAccountImports(tx, options.accountId));
  const created = await insertImport(db.manager, {
    accountId: options.accountId,
    kind: 'csv',
    status: 'staging',
    fileName: options.fileName,
  });
  try {
    const records = await readCsvRecords(options.file);
    let columns: string[] | null = null;
    let row = 1;
    let batch: { row: number; cells: string[]; reason: string | null }[] = [];
    let batchChars = 0;
    for await (const record of records) {
      if (columns === null) {
        columns = checkHeader(record);
        options.onHeader?.(columns);
        continue;
      }
      row += 1;
      batch.push({ row, ...stageable(record, columns) });
      batchChars += record.reduce((sum, cell) => sum + cell.length, 0);
      if (batch.length >= STAGING_BATCH_ROWS || batchChars >= STAGING_BATCH_CHARS) {
        await insertStagedRows(db.manager, created.id, batch);
        batch = [];
        batchChars = 0;
      }
    }
    if (columns === null) checkHeader(undefined);
    await insertStagedRows(db.manager, created.id, batch);
    return { importId: created.id, columns: columns!, total: row - 1 };
  } catch (error) {
    await deleteImport(db.manager, options.accountId, created.id);
    if (error instanceof CsvError) throw fileIssue(`not a readable CSV file: ${error.message}`);
    throw error;
  }
}
