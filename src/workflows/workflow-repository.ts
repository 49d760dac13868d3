/**
 * Workflows of an account: create, version, read and list. The engine reads definitions through
 * loadWorkflowVersion / findActiveWorkflowsByTrigger (cached, parsed).
 */
import type { Tx } from '../db/data-source';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { parseDefinition } from '../definition/parse-definition';
import type { CalendarReferences } from '../definition/references';
import { definitionReferences } from './definition-references';
import { ConflictError, ValidationError, type IssueDetail } from '../lib/errors';
import { isStorableText } from '../lib/storable-text';
import type { Workflow, WorkflowSource, WorkflowStatus } from './workflow';
import { insertWorkflowVersion } from './workflow-version-store';
import {
  insertWorkflowRow,
  requireWorkflowRow,
  selectWorkflowRows,
  toWorkflow,
  updateWorkflowRow,
} from './workflow-store';

export {
  findActiveWorkflowsByTrigger,
  findActiveWorkflowsByTriggers,
  findActiveWorkflowSets,
  loadWorkflowVersion,
} from './workflow-definitions';
export type { ActiveWorkflowSet } from './workflow-definitions';
export type { ActiveWorkflow, Workflow, WorkflowSource, WorkflowStatus } from './workflow';

/** By UUID or slug; NotFoundError('Workflow') when the account has no such workflow. */
export async function getWorkflow(tx: Tx, accountId: string, idOrSlug: string): Promise<Workflow> {
  return toWorkflow(await requireWorkflowRow(tx, accountId, idOrSlug));
}

export interface SaveWorkflowOptions {
  /** Set by the file sync: the checksum of the file this version comes from. */
  fileChecksum?: string;
  /**
   * The account's calendars: a calendar the definition names literally must be one of them. Given by
   * the API and console saves; the file sync warns instead (workflow-sync.ts). Default: not checked.
   */
  calendars?: CalendarReferences;
}

/** Creates a workflow at version 1 from a definition as written. Throws ValidationError or, for a taken slug, ConflictError. */
export async function createWorkflow(
  tx: Tx,
  accountId: string,
  raw: unknown,
  source: WorkflowSource,
  options: SaveWorkflowOptions = {},
): Promise<Workflow> {
  const { fileChecksum, calendars } = options;
  const definition = parseDefinition(raw, { references: definitionReferences({ calendars }) });
  const id = await insertWorkflowRow(tx, { accountId, definition, source, fileChecksum: fileChecksum ?? null });
  if (!id) throw new ConflictError(`A workflow with the id '${definition.id}' already exists`, { slug: definition.id });
  await insertWorkflowVersion(tx, id, { version: 1, raw, source });
  return toWorkflow(await requireWorkflowRow(tx, accountId, id));
}

/** Parses a new version, whose `id` must stay the workflow's slug. */
function parseUpdate(raw: unknown, slug: string, calendars: CalendarReferences | undefined): WorkflowDefinition {
  const issues: IssueDetail[] = [];
  let definition: WorkflowDefinition | undefined;
  try {
    definition = parseDefinition(raw, { references: definitionReferences({ calendars }) });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
  }
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id !== slug)
    issues.push({ path: 'id', message: `must stay '${slug}': a workflow's id cannot change` });
  if (issues.length > 0 || !definition) throw new ValidationError(issues);
  return definition;
}

/**
 * Adds a version and makes it current. Runs that started on an older version keep it.
 * `fileChecksum` is set by the file sync; an API update keeps the stored one, so an unchanged
 * file does not undo the edit on the next start (a changed file does).
 */
export async function updateWorkflow(
  tx: Tx,
  accountId: string,
  idOrSlug: string,
  raw: unknown,
  options: SaveWorkflowOptions = {},
): Promise<Workflow> {
  const { fileChecksum, calendars } = options;
  // Locked so that two concurrent updates get consecutive versions instead of one failing.
  const row = await requireWorkflowRow(tx, accountId, idOrSlug, { forUpdate: true });
  const definition = parseUpdate(raw, row.slug, calendars);
  const version = row.version + 1;
  const source: WorkflowSource = fileChecksum === undefined ? 'api' : 'file';
  await insertWorkflowVersion(tx, row.id, { version, raw, source });
  await updateWorkflowRow(tx, row.id, {
    version,
    definition,
    source,
    fileChecksum: fileChecksum ?? row.file_checksum,
  });
  return toWorkflow(await requireWorkflowRow(tx, accountId, row.id));
}

export interface ListWorkflowsOptions {
  status?: WorkflowStatus;
  /** Page size. Default 50, at most 200. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

const encodeCursor = (slug: string): string => Buffer.from(slug, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const slug = Buffer.from(cursor, 'base64url').toString('utf8');
  // `AAAA…` decodes to NULs and encodes back the same: no slug, and Postgres refuses it (a 500).
  if (!slug || !isStorableText(slug) || encodeCursor(slug) !== cursor)
    throw new ValidationError([{ path: 'cursor', message: 'not a cursor from this list' }]);
  return slug;
}

/** The account's workflows in slug order, a page at a time. */
export async function listWorkflows(
  tx: Tx,
  accountId: string,
  options: ListWorkflowsOptions = {},
): Promise<{ items: Workflow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const afterSlug = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const rows = await selectWorkflowRows(tx, accountId, { status: options.status, afterSlug, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toWorkflow), nextCursor: rows.length > limit && last ? encodeCursor(last.slug) : null };
}
