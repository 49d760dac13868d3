import type { Tx } from '../db/data-source';
import { unknownCalendars } from '../definition/calendar-references';
import type { CalendarReferences } from '../definition/references';
import type { Logger } from '../lib/logger';
import { createWorkflow, updateWorkflow } from './workflow-repository';
import { findWorkflowRow, lockWorkflowSync } from './workflow-store';
import { loadWorkflowFiles, type LoadedWorkflowFile } from './workflow-files';

export interface WorkflowSyncSummary {
  created: string[];
  updated: string[];
  unchanged: string[];
}

export interface WorkflowSyncOptions {
  /**
   * The account's calendars. Files are synced at start, before anyone may have created the calendars
   * they name, so a calendar the account lacks is a warning on `log`, not a failure. Default: not checked.
   */
  calendars?: CalendarReferences;
  /** Where those warnings go. Default: nowhere. */
  log?: Pick<Logger, 'warn'>;
}

/** One warning per literal calendar of the file that the account does not have (yet). */
function warnOfUnknownCalendars(file: LoadedWorkflowFile, workflowId: string, options: WorkflowSyncOptions): void {
  if (!options.calendars || !options.log) return;
  for (const { stepId, path, calendar } of unknownCalendars(file.raw, options.calendars)) {
    options.log.warn(
      { workflowId, slug: file.definition.id, stepId, path, calendar },
      'workflow file names a calendar the account does not have: create it before a run reaches that step',
    );
  }
}

/**
 * Makes the workflow files of `dir` workflows of the account: a new file creates one (source
 * `file`), a file whose checksum differs from the one last synced adds a version, an unchanged
 * file does nothing. Files are validated before anything is written; a bad one throws
 * WorkflowFilesError and nothing changes. Call inside a transaction: two processes starting at
 * once queue on a transaction-scoped advisory lock, and the second sees the first's work.
 */
export async function syncWorkflowFiles(
  tx: Tx,
  accountId: string,
  dir: string,
  options: WorkflowSyncOptions = {},
): Promise<WorkflowSyncSummary> {
  const files = await loadWorkflowFiles(dir);
  const summary: WorkflowSyncSummary = { created: [], updated: [], unchanged: [] };
  if (files.length === 0) return summary;
  await lockWorkflowSync(tx, accountId);
  for (const file of files) {
    const slug = file.definition.id;
    const existing = await findWorkflowRow(tx, accountId, slug);
    let workflowId: string;
    if (!existing) {
      workflowId = (await createWorkflow(tx, accountId, file.raw, 'file', { fileChecksum: file.checksum })).id;
      summary.created.push(slug);
    } else if (existing.file_checksum !== file.checksum) {
      workflowId = (await updateWorkflow(tx, accountId, slug, file.raw, { fileChecksum: file.checksum })).id;
      summary.updated.push(slug);
    } else {
      workflowId = existing.id;
      summary.unchanged.push(slug);
    }
    warnOfUnknownCalendars(file, workflowId, options);
  }
  return summary;
}
