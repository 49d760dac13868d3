import type { Tx } from '../../db/data-source';
import { NotFoundError } from '../../lib/errors';
import { addTags, removeTag } from '../contact-tags';
import type { BatchCounts, ContactImportRow } from './contact-import-store';
import { deleteDoneRows, markRowsFailed, selectRowsAfter } from './contact-import-row-store';

/** Contacts per transaction of a bulk action. */
export const BULK_BATCH_ROWS = 200;

/**
 * Enrols contacts in a workflow through the engine's own path (a campaign by contact ids, with its
 * re-entry rule), in the caller's transaction; `enrolled` counts those it will enrol. Supplied by
 * the worker role from triggers/, which sits above contacts/.
 */
export type EnrolContacts = (
  tx: Tx,
  options: { accountId: string; workflowId: string; contactIds: string[] },
) => Promise<{ enrolled: number }>;

export interface BulkDeps {
  enrol: EnrolContacts;
}

/**
 * One batch of a bulk action, in the caller's transaction. Tags go through the contact service
 * (each contact locked, `contact.tag_added` appended for a tag it did not have), so a bulk "add
 * tag" starts the same workflows a single one does; `updated` counts contacts changed (or enrolled)
 * and `skipped` those left as they were. A contact deleted since the search fails its row.
 */
export async function bulkActionBatch(tx: Tx, job: ContactImportRow, deps: BulkDeps): Promise<BatchCounts> {
  const rows = await selectRowsAfter(tx, { importId: job.id, after: job.last_row, limit: BULK_BATCH_ROWS });
  if (rows.length === 0)
    return { lastRow: job.last_row, processed: 0, created: 0, updated: 0, failed: 0, skipped: 0, done: true };
  let updated = 0;
  const failures: { row: number; reason: string }[] = [];
  if (job.kind === 'enrol') {
    if (!job.workflow_id) throw new NotFoundError('Workflow');
    ({ enrolled: updated } = await deps.enrol(tx, {
      accountId: job.account_id,
      workflowId: job.workflow_id,
      contactIds: rows.map((row) => row.contact_id!),
    }));
  } else {
    const tag = job.tags[0]!;
    for (const row of rows) {
      try {
        // A missing contact throws before any statement fails, so the transaction stays usable.
        const changed =
          job.kind === 'add_tag'
            ? (await addTags(tx, job.account_id, row.contact_id!, [tag])).added.length > 0
            : (await removeTag(tx, job.account_id, row.contact_id!, tag)).removed;
        if (changed) updated += 1;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        failures.push({ row: row.row_number, reason: 'the contact no longer exists' });
      }
    }
  }
  await markRowsFailed(tx, job.id, failures);
  const lastRow = rows[rows.length - 1]!.row_number;
  await deleteDoneRows(tx, { importId: job.id, after: job.last_row, upTo: lastRow });
  return {
    lastRow,
    processed: rows.length,
    created: 0,
    updated,
    failed: failures.length,
    skipped: rows.length - updated - failures.length,
    done: rows.length < BULK_BATCH_ROWS,
  };
}
