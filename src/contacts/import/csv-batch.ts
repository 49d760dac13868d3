import type { Tx } from '../../db/data-source';
import { appendEvents, type OutboxEventInput } from '../../events/outbox';
import { resolveColumns } from './column-mapping';
import type { BatchCounts, ContactImportRow } from './contact-import-store';
import { deleteDoneRows, markRowsFailed, selectRowsAfter, type StagedRow } from './contact-import-row-store';
import { lockContactsByEmail, upsertContactsByEmail, type UpsertedContact } from './contact-upsert-store';
import { toImportedContact, type ImportedContact } from './import-row';

/** Rows per transaction of the import job. */
export const IMPORT_BATCH_ROWS = 1000;

interface GoodRow {
  row: number;
  contact: ImportedContact;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): a row's fault, not the batch's. */
function isRowError(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(candidate?.driverError?.code ?? candidate?.code ?? '');
  return code.startsWith('22') || code.startsWith('23');
}

/**
 * Takes rows in order until an email comes back (any case): ON CONFLICT cannot touch a contact
 * twice in one statement, so the repeat waits for the next batch, where it updates the contact
 * this one created. Rows staging already refused, and rows that describe no valid contact, fail here.
 */
function takeRows(rows: StagedRow[], columns: ReturnType<typeof resolveColumns>) {
  const taken: StagedRow[] = [];
  const good: GoodRow[] = [];
  const failures: { row: number; reason: string }[] = [];
  let staleFailures = 0;
  const emails = new Set<string>();
  for (const row of rows) {
    if (row.reason !== null) {
      staleFailures += 1;
    } else {
      const outcome = toImportedContact(row.data ?? [], columns);
      if (!outcome.ok) failures.push({ row: row.row_number, reason: outcome.reason });
      else if (emails.has(outcome.contact.emailKey)) break;
      else {
        emails.add(outcome.contact.emailKey);
        good.push({ row: row.row_number, contact: outcome.contact });
      }
    }
    taken.push(row);
  }
  return { taken, good, failures, staleFailures };
}

/** The upsert of a batch; when the database refuses one of its rows, each row again on its own. */
async function upsertRows(
  tx: Tx,
  accountId: string,
  good: GoodRow[],
  tags: string[],
  failures: { row: number; reason: string }[],
): Promise<UpsertedContact[]> {
  const withTags = (row: GoodRow) => ({ ...row.contact, tags });
  try {
    return await tx.transaction((savepoint) => upsertContactsByEmail(savepoint, accountId, good.map(withTags)));
  } catch (error) {
    if (!isRowError(error)) throw error;
  }
  const upserted: UpsertedContact[] = [];
  for (const row of good) {
    try {
      upserted.push(
        ...(await tx.transaction((savepoint) => upsertContactsByEmail(savepoint, accountId, [withTags(row)]))),
      );
    } catch (error) {
      if (!isRowError(error)) throw error;
      failures.push({ row: row.row, reason: 'the database refused this row' });
    }
  }
  return upserted;
}

/**
 * One batch of a CSV import, in the caller's transaction (which holds the import's row lock):
 * upsert the batch's contacts by email, append `contact.created` for new ones and
 * `contact.tag_added` for each of the import's tags a contact did not have, keep the failed rows'
 * reasons, delete the rows that went through, and count. Everything commits together with the
 * cursor (recordBatch), so a crash repeats a batch whole or not at all.
 */
export async function importCsvBatch(tx: Tx, job: ContactImportRow): Promise<BatchCounts> {
  const rows = await selectRowsAfter(tx, { importId: job.id, after: job.last_row, limit: IMPORT_BATCH_ROWS });
  const empty = { processed: 0, created: 0, updated: 0, failed: 0, skipped: 0 };
  if (rows.length === 0) return { ...empty, lastRow: job.last_row, done: true };

  const { taken, good, failures, staleFailures } = takeRows(rows, resolveColumns(job.columns, job.mapping));
  // Locks taken in one order (by id here, by email in the upsert) keep two imports of the same people apart.
  good.sort((a, b) => (a.contact.emailKey < b.contact.emailKey ? -1 : 1));
  const before = new Map(
    (await lockContactsByEmail(tx, job.account_id, [...new Set(good.map((row) => row.contact.emailKey))])).map(
      (contact) => [contact.email_key, contact.tags],
    ),
  );
  const upserted = await upsertRows(tx, job.account_id, good, job.tags, failures);
  let created = 0;
  const events: OutboxEventInput[] = [];
  for (const contact of upserted) {
    const base = { accountId: job.account_id, contactId: contact.id };
    if (contact.inserted) {
      created += 1;
      events.push({ ...base, type: 'contact.created', data: {} });
    }
    // A contact another transaction inserted after the lock above has no known tags: all of the import's are new to it.
    const had = contact.inserted ? [] : (before.get(contact.email_key) ?? []);
    for (const tag of job.tags)
      if (!had.includes(tag)) events.push({ ...base, type: 'contact.tag_added', data: { tag } });
  }
  // The very events createContact and addTags append, written in one statement for the batch.
  await appendEvents(tx, events);
  await markRowsFailed(tx, job.id, failures);
  const lastRow = taken[taken.length - 1]!.row_number;
  await deleteDoneRows(tx, { importId: job.id, after: job.last_row, upTo: lastRow });
  return {
    lastRow,
    processed: taken.length,
    created,
    updated: upserted.length - created,
    failed: failures.length + staleFailures,
    skipped: 0,
    done: taken.length === rows.length && rows.length < IMPORT_BATCH_ROWS,
  };
}
