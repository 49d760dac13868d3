import type { Container } from '../../container';
import type { Tx } from '../../db/data-source';
import { ConflictError, NotFoundError } from '../../lib/errors';
import { jobIds } from '../../queue/job-ids';
import type { Queues } from '../../queue/queues';
import { resolveColumns } from './column-mapping';
import { deleteImport, findImport, finishStaging, markQueued, type ContactImportRow } from './contact-import-store';
import { selectRowsAfter } from './contact-import-row-store';
import type { StagedUpload } from './csv-staging';
import type { ColumnMapping, ImportStatus, ImportView } from './import-schema';

/**
 * Enqueues the first slice of an import, inside the transaction that makes it `queued`: if Redis
 * refuses, nothing commits. The job may start before the commit is visible; it then finds the
 * import not yet queued and is retried (see import-job.ts).
 */
export async function enqueueImport(queues: Queues, importId: string, from: number): Promise<void> {
  await queues.add('contacts.import', { importId, from }, { jobId: jobIds.contactImport(importId, from) });
}

/**
 * The end of an upload: the mapping is checked against the header (400 at `mapping.<column>`),
 * then the import is `queued` and its job enqueued (the API), or `staged` to wait for the
 * console's confirmation. A refused mapping deletes the staged rows.
 */
export async function completeUpload(
  c: Container,
  options: { accountId: string; staged: StagedUpload; tags: string[]; mapping: ColumnMapping; start: boolean },
): Promise<void> {
  const { staged } = options;
  try {
    resolveColumns(staged.columns, options.mapping);
    await c.db.transaction(async (tx) => {
      await finishStaging(tx, staged.importId, {
        columns: staged.columns,
        total: staged.total,
        status: options.start ? 'queued' : 'staged',
        tags: options.tags,
        mapping: options.mapping,
      });
      if (options.start) await enqueueImport(c.queues, staged.importId, 0);
    });
  } catch (error) {
    await deleteImport(c.db.manager, options.accountId, staged.importId);
    throw error;
  }
}

/** The console's "Start": staged → queued with the mapping chosen there, and the job enqueued. */
export async function confirmImport(
  c: Container,
  options: { accountId: string; importId: string; mapping?: ColumnMapping },
): Promise<void> {
  const current = await findImport(c.db.manager, options.accountId, options.importId);
  if (!current) throw new NotFoundError('Import');
  const started = () => new ConflictError(`This ${current.kind === 'csv' ? 'import' : 'action'} was already started`);
  if (current.status !== 'staged') throw started();
  if (current.kind === 'csv') resolveColumns(current.columns, options.mapping ?? current.mapping);
  await c.db.transaction(async (tx) => {
    // The guarded update decides between two confirmations racing past the check above.
    if (!(await markQueued(tx, options))) throw started();
    await enqueueImport(c.queues, options.importId, 0);
  });
}

/** Deletes a staged import or action the marketer decided against; one already started stays. */
export async function cancelStagedImport(tx: Tx, accountId: string, importId: string): Promise<void> {
  if (!(await deleteImport(tx, accountId, importId))) {
    if (await findImport(tx, accountId, importId)) throw new ConflictError('It was already started');
    throw new NotFoundError('Import');
  }
}

/** The API's status: `staging` and `staged` read as `queued`. */
export function publicStatus(row: Pick<ContactImportRow, 'status'>): ImportStatus {
  return row.status === 'staging' || row.status === 'staged' ? 'queued' : row.status;
}

export function toImportView(row: ContactImportRow): ImportView {
  return {
    id: row.id,
    status: publicStatus(row),
    total: row.total,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    failed: row.failed,
    ...(row.error ? { error: row.error } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
  };
}

/** The account's CSV import (a bulk action is no import): NotFoundError otherwise. */
export async function requireCsvImport(tx: Tx, accountId: string, importId: string): Promise<ContactImportRow> {
  const row = await findImport(tx, accountId, importId);
  if (!row || row.kind !== 'csv') throw new NotFoundError('Import');
  return row;
}

/** An import or bulk action of the account, of either kind: NotFoundError otherwise. */
export async function requireImport(tx: Tx, accountId: string, importId: string): Promise<ContactImportRow> {
  const row = await findImport(tx, accountId, importId);
  if (!row) throw new NotFoundError('Import');
  return row;
}

/** The first rows of a staged file, for the confirm page's "first values". */
export async function sampleRows(tx: Tx, importId: string, count: number): Promise<string[][]> {
  const rows = await selectRowsAfter(tx, { importId, after: 0, limit: count });
  return rows.map((row) => row.data ?? []);
}
