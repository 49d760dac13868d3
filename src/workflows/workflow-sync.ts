import type { Tx } from '../db/data-source';
import { createWorkflow, updateWorkflow } from './workflow-repository';
import { findWorkflowRow, lockWorkflowSync } from './workflow-store';
import { loadWorkflowFiles } from './workflow-files';

export interface WorkflowSyncSummary {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Makes the workflow files of `dir` workflows of the account: a new file creates one (source
 * `file`), a file whose checksum differs from the one last synced adds a version, an unchanged
 * file does nothing. Files are validated before anything is written; a bad one throws
 * WorkflowFilesError and nothing changes. Call inside a transaction: two processes starting at
 * once queue on a transaction-scoped advisory lock, and the second sees the first's work.
 */
export async function syncWorkflowFiles(tx: Tx, accountId: string, dir: string): Promise<WorkflowSyncSummary> {
  const files = await loadWorkflowFiles(dir);
  const summary: WorkflowSyncSummary = { created: [], updated: [], unchanged: [] };
  if (files.length === 0) return summary;
  await lockWorkflowSync(tx, accountId);
  for (const file of files) {
    const slug = file.definition.id;
    const existing = await findWorkflowRow(tx, accountId, slug);
    if (!existing) {
      await createWorkflow(tx, accountId, file.raw, 'file', file.checksum);
      summary.created.push(slug);
    } else if (existing.file_checksum !== file.checksum) {
      await updateWorkflow(tx, accountId, slug, file.raw, file.checksum);
      summary.updated.push(slug);
    } else {
      summary.unchanged.push(slug);
    }
  }
  return summary;
}
