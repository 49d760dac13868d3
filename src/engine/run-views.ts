import type { Tx } from '../db/data-source';
import { NotFoundError } from '../lib/errors';
import { decodeCursor, encodeCursor } from '../lib/keyset-cursor';
import type { OutputCodecs, OutputRestoreDeps } from './action-contract';
import { restoreStepOutputs } from './step-outputs';
import { listRunSteps, type RunStepRow } from './run-step-store';
import { findAccountRun, listAccountRuns, type RunRow, type RunStatus } from './run-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunView {
  id: string;
  workflowId: string;
  workflowVersion: number;
  contactId: string;
  status: RunStatus;
  currentStepId: string | null;
  error: string | null;
  trigger: RunRow['trigger'];
  startedAt: string;
  finishedAt: string | null;
  /** Started by "Test" in the builder (it ignored draft status and re-entry). */
  test: boolean;
  steps?: StepView[];
}

export interface StepView {
  id: string;
  type: string;
  status: RunStepRow['status'];
  attempts: number;
  output: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

export function toRunView(row: RunRow, steps?: RunStepRow[]): RunView {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    contactId: row.contact_id,
    status: row.status,
    currentStepId: row.current_step_id,
    error: row.error,
    trigger: row.trigger,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
    test: row.is_test,
    ...(steps && {
      steps: steps.map((step) => ({
        id: step.step_id,
        type: step.type,
        status: step.status,
        attempts: step.attempts,
        output: step.output,
        error: step.error,
        startedAt: iso(step.started_at)!,
        finishedAt: iso(step.finished_at),
      })),
    }),
  };
}

export interface RunOutputsOptions {
  /** PUBLIC_URL and LINK_SECRET, for outputs whose URLs are derived again (one-time links). */
  config: OutputRestoreDeps['config'];
  /** The step types' output codecs: the executor map of src/actions/index.ts. */
  codecs: OutputCodecs;
}

/** A run with its steps; outputs as their executors returned them (see restoreStepOutputs). */
export async function getRunView(
  tx: Tx,
  accountId: string,
  runId: string,
  outputs: RunOutputsOptions,
): Promise<RunView> {
  if (!UUID.test(runId)) throw new NotFoundError('Run');
  const run = await findAccountRun(tx, accountId, runId);
  if (!run) throw new NotFoundError('Run');
  const steps = await listRunSteps(tx, runId);
  const restored = await restoreStepOutputs(steps, { tx, ...outputs });
  return toRunView(
    run,
    steps.map((step, index) => ({ ...step, output: restored[index] })),
  );
}

export interface RunListFilter {
  workflowId?: string;
  contactId?: string;
  status?: RunStatus;
  /** Only test runs (true), only real ones (false); both when absent. */
  test?: boolean;
  limit: number;
  cursor?: string;
}

/** Newest first, keyset-paginated on (started_at, id). */
export async function listRunViews(
  tx: Tx,
  accountId: string,
  filter: RunListFilter,
): Promise<{ items: RunView[]; nextCursor: string | null }> {
  const before = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows = await listAccountRuns(tx, accountId, {
    workflowId: filter.workflowId,
    contactId: filter.contactId,
    status: filter.status,
    test: filter.test,
    before,
    limit: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toRunView(row)),
    nextCursor: rows.length > filter.limit && last ? encodeCursor({ at: last.position_at, id: last.id }) : null,
  };
}
