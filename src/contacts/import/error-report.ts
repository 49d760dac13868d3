import type { Tx } from '../../db/data-source';
import { GoneError } from '../../lib/errors';
import type { ContactImportRow } from './contact-import-store';
import { selectFailedRows } from './contact-import-row-store';

const PAGE = 1000;

/** One CSV field: quoted when it holds a delimiter, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * The failed rows of an import as CSV, page by page (the partial index over failed rows): `row`
 * (as a spreadsheet numbers it, the header being row 1), the file's own columns as they were read,
 * and `reason`, so the marketer can fix the rows and import this file again (`row` and `reason`
 * map to nothing). Failed rows are kept 30 days after the import ends: later, a GoneError.
 */
export async function* failedRowsCsv(tx: Tx, job: ContactImportRow): AsyncGenerator<string> {
  if (job.rows_purged_at) throw new GoneError('The failed rows of an import are kept for 30 days after it ends');
  const columns = job.kind === 'csv' ? job.columns : ['contact_id'];
  yield csvLine(['row', ...columns, 'reason']);
  for (let after = 0; ;) {
    const rows = await selectFailedRows(tx, { importId: job.id, after, limit: PAGE });
    for (const row of rows) {
      const cells = job.kind === 'csv' ? (row.data ?? []) : [row.contact_id ?? ''];
      // One cell per named column, so `reason` stays in its column: cells past the header were unnamed, and mapped to nothing.
      const padded = columns.map((_column, index) => cells[index] ?? '');
      yield csvLine([String(row.row_number), ...padded, row.reason]);
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.row_number;
  }
}
