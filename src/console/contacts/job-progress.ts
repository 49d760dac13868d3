import type { ContactImportRow } from '../../contacts/import/contact-import-store';
import { publicStatus } from '../../contacts/import/import-service';
import type { ImportKind, ImportStatus } from '../../contacts/import/import-schema';

const numbers = new Intl.NumberFormat('en-US');
export const formatCount = (value: number): string => numbers.format(value);

/** "1 row" / "1,000 rows". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

type CountField = 'created' | 'updated' | 'skipped' | 'failed';

/** What each count means for each kind of job, as the progress page labels it. */
const COUNT_LABELS: Record<ImportKind, [CountField, string][]> = {
  csv: [
    ['created', 'Contacts created'],
    ['updated', 'Contacts updated'],
    ['failed', 'Rows that failed'],
  ],
  add_tag: [
    ['updated', 'Tagged'],
    ['skipped', 'Already had the tag'],
    ['failed', 'Failed'],
  ],
  remove_tag: [
    ['updated', 'Tag removed'],
    ['skipped', 'Did not have the tag'],
    ['failed', 'Failed'],
  ],
  enrol: [
    ['updated', 'Enrolled'],
    ['skipped', 'Not enrolled (already in it, no re-entry)'],
    ['failed', 'Failed'],
  ],
};

/** What the progress page's script polls: the job's state, counts and the sentence that sums it up. */
export interface JobProgress {
  status: ImportStatus;
  done: boolean;
  percent: number;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  statusText: string;
}

const COMPLETED: Record<ImportKind, (row: ContactImportRow) => string> = {
  csv: (row) =>
    `Import completed: ${plural(row.created, 'contact')} created, ${formatCount(row.updated)} updated, ${plural(row.failed, 'row')} failed.`,
  add_tag: (row) =>
    `Done: ${plural(row.updated, 'contact')} tagged, ${formatCount(row.skipped)} already had the tag, ${formatCount(row.failed)} failed.`,
  remove_tag: (row) =>
    `Done: the tag was removed from ${plural(row.updated, 'contact')}, ${formatCount(row.skipped)} did not have it, ${formatCount(row.failed)} failed.`,
  enrol: (row) =>
    `Done: ${plural(row.updated, 'contact')} enrolled, ${formatCount(row.skipped)} not (already in it, no re-entry), ${formatCount(row.failed)} failed.`,
};

function statusText(row: ContactImportRow, status: ImportStatus): string {
  const what = row.kind === 'csv' ? 'import' : 'bulk action';
  switch (status) {
    case 'queued':
      return `The ${what} is queued and starts in a moment.`;
    case 'running':
      return 'Working on it: the bar shows how far it got.';
    case 'failed':
      return `The ${what} stopped. ${(row.error ?? 'It failed').replace(/\.?$/, '.')}`;
    case 'completed':
      return COMPLETED[row.kind](row);
  }
}

export function jobProgress(row: ContactImportRow): JobProgress {
  const status = publicStatus(row);
  const done = status === 'completed' || status === 'failed';
  const percent =
    status === 'completed' ? 100 : row.total === 0 ? 0 : Math.min(99, Math.floor((row.processed * 100) / row.total));
  return {
    status,
    done,
    percent,
    total: row.total,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    failed: row.failed,
    statusText: statusText(row, status),
  };
}

/** The progress page's data (see JOB_PROGRESS_VIEW). */
export function progressPageData(
  row: ContactImportRow,
  links: { pageHref: string; statusUrl: string; errorsHref: string | null; heading: string },
): object {
  const progress = jobProgress(row);
  const unit = row.kind === 'csv' ? 'row' : 'contact';
  return {
    ...links,
    ...progress,
    progressLabel: row.kind === 'csv' ? 'Import progress' : 'Bulk action progress',
    processedText: formatCount(row.processed),
    totalText: plural(row.total, unit),
    counts: COUNT_LABELS[row.kind].map(([field, label]) => ({ field, label, value: formatCount(row[field]) })),
    doneHref: '/app/contacts',
    doneLabel: 'Back to the contacts',
  };
}
