/**
 * A workflow's versions: summaries a page at a time (never reading a definition, which can be a
 * megabyte), and one version with its definition.
 */
import type { Tx } from '../db/data-source';
import { NotFoundError, ValidationError } from '../lib/errors';
import type { WorkflowSource } from './workflow';
import { findVersionRow, selectVersionRows, type WorkflowVersionRow } from './workflow-version-store';
import { requireWorkflowId } from './workflow-store';

export interface WorkflowVersionSummary {
  version: number;
  createdAt: Date;
  /** How the version was saved; null for versions saved before this was recorded. */
  source: WorkflowSource | null;
  /** sha256 (hex) of the definition's canonical JSON: equal hashes, equal definitions. */
  hash: string;
}

export interface WorkflowVersionDetail extends WorkflowVersionSummary {
  /** The definition exactly as it was given (file or API body). */
  definition: unknown;
}

export interface ListVersionsOptions {
  /** Page size. Default 50, at most 200. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

const toSummary = (row: WorkflowVersionRow): WorkflowVersionSummary => ({
  version: row.version,
  createdAt: row.created_at,
  source: row.source,
  hash: row.definition_hash,
});

const encodeCursor = (version: number): string => Buffer.from(`v${version}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^v([1-9]\d{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || encodeCursor(version) !== cursor) {
    throw new ValidationError([{ path: 'cursor', message: 'not a cursor from this list' }]);
  }
  return version;
}

/** The workflow's versions, newest first, a page at a time (keyset on the version number). */
export async function listWorkflowVersions(
  tx: Tx,
  accountId: string,
  idOrSlug: string,
  options: ListVersionsOptions = {},
): Promise<{ items: WorkflowVersionSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const before = options.cursor === undefined ? null : decodeCursor(options.cursor);
  const workflowId = await requireWorkflowId(tx, accountId, idOrSlug);
  const rows = await selectVersionRows(tx, workflowId, { before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toSummary), nextCursor: rows.length > limit && last ? encodeCursor(last.version) : null };
}

/** One version with its whole definition; NotFoundError when the workflow or the version does not exist. */
export async function getWorkflowVersion(
  tx: Tx,
  accountId: string,
  idOrSlug: string,
  version: number,
): Promise<WorkflowVersionDetail> {
  const workflowId = await requireWorkflowId(tx, accountId, idOrSlug);
  const row = await findVersionRow(tx, workflowId, version);
  if (!row) throw new NotFoundError('Workflow version');
  return { ...toSummary(row), definition: row.definition };
}
