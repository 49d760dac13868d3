import type { Tx } from '../db/data-source';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { parseDefinition } from '../definition/parse-definition';
import { AppError, NotFoundError, ValidationError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { ActiveWorkflow } from './workflow';
import { findVersionDefinition } from './workflow-version-store';
import { selectActiveWorkflowsByTriggers, type TriggerKey } from './workflow-store';

/** Versions never change once written, so a parsed one is kept for the life of the process. */
const versionCache = new Map<string, WorkflowDefinition>();
const VERSION_CACHE_SIZE = 2000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * One version of a workflow, parsed (configs included) and cached by (workflowId, version).
 * The result is frozen: it is shared by every caller.
 *
 * A stored version was checked in full when it was saved; what it names outside itself (message
 * templates, layouts, partials) is not checked again here, since it may have changed since: a send
 * step whose template is gone fails on its own, naming the template. ValidationError when the stored
 * JSON no longer passes the current schema.
 */
export async function loadWorkflowVersion(tx: Tx, workflowId: string, version: number): Promise<WorkflowDefinition> {
  const key = `${workflowId}:${version}`;
  const cached = versionCache.get(key);
  if (cached) return cached;
  const row = await findVersionDefinition(tx, workflowId, version);
  if (!row) throw new NotFoundError('Workflow version');
  const definition = deepFreeze(parseDefinition(row.definition, { stored: true }));
  if (versionCache.size >= VERSION_CACHE_SIZE) versionCache.delete(versionCache.keys().next().value as string);
  versionCache.set(key, definition);
  return definition;
}

export interface FindActiveOptions {
  /** Where to warn about a workflow whose current version no longer loads. */
  log: Pick<Logger, 'warn'>;
}

/**
 * The account's active workflows started by `triggerType`, at their current version, oldest first.
 * A workflow whose current version no longer loads (its stored JSON fails today's schema) is left
 * out with one warning per call, so that it never keeps the event from the others of its trigger.
 */
export async function findActiveWorkflowsByTrigger(
  tx: Tx,
  accountId: string,
  triggerType: string,
  options: FindActiveOptions,
): Promise<ActiveWorkflow[]> {
  return (await findActiveWorkflowsByTriggers(tx, [{ accountId, triggerType }], options))[0]!;
}

/** findActiveWorkflowsByTrigger for several (account, trigger type) keys in one statement: one list per key, in order. */
export async function findActiveWorkflowsByTriggers(
  tx: Tx,
  keys: TriggerKey[],
  options: FindActiveOptions,
): Promise<ActiveWorkflow[][]> {
  return (await findActiveWorkflowSets(tx, keys, options)).map((set) => set.workflows);
}

/**
 * A key's active workflows as findActiveWorkflowsByTriggers gives them (`workflows`), and every active
 * workflow the statement saw for it (`seen`, by id and version, those that do not load included): what
 * a later statement compares with the table to know the list still holds (src/triggers/active-workflow-cache.ts).
 */
export interface ActiveWorkflowSet {
  workflows: ActiveWorkflow[];
  seen: { id: string; version: number }[];
}

/** The active workflows of each key, with what the statement saw of them (ActiveWorkflowSet). */
export async function findActiveWorkflowSets(
  tx: Tx,
  keys: TriggerKey[],
  options: FindActiveOptions,
): Promise<ActiveWorkflowSet[]> {
  const found: ActiveWorkflowSet[] = keys.map(() => ({ workflows: [], seen: [] }));
  // One after another: the queries may share a transaction's single connection.
  for (const { n, ...row } of await selectActiveWorkflowsByTriggers(tx, keys)) {
    found[n]!.seen.push({ id: row.id, version: row.version });
    try {
      found[n]!.workflows.push({ ...row, definition: await loadWorkflowVersion(tx, row.id, row.version) });
    } catch (error) {
      // Anything else (the database) is no fault of the workflow: the event is retried.
      if (!(error instanceof AppError)) throw error;
      options.log.warn(
        {
          workflowId: row.id,
          version: row.version,
          accountId: keys[n]!.accountId,
          triggerType: keys[n]!.triggerType,
          code: error.code,
          issues: error instanceof ValidationError ? error.issues.map((issue) => issue.path) : undefined,
        },
        'stored workflow version does not load: workflow skipped',
      );
    }
  }
  return found;
}
