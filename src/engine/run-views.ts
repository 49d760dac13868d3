import type { Tx } from '../db/data-source';
import { NotFoundError } from '../lib/errors';
import { cursorTimeSql, decodeCursor, encodeCursor } from '../lib/keyset-cursor';
import type { OutputRestoreDeps } from '../actions/action';
import { restoreStepOutputs } from './step-outputs';
import { listRunSteps, type RunRow, type RunStatus, type RunStepRow } from './run-repository';

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

/** A run with its steps; outputs as their actions returned them (see restoreStepOutputs). */
export async function getRunView(tx: Tx, accountId: string, runId: string, config: OutputRestoreDeps['config']): Promise<RunView> {
  if (!UUID.test(runId)) throw new NotFoundError('Run');
  const rows: RunRow[] = await tx.query('SELECT * FROM runs WHERE id = $1 AND account_id = $2', [runId, accountId]);
  if (!rows[0]) throw new NotFoundError('Run');
  const steps = await listRunSteps(tx, runId);
  const outputs = await restoreStepOutputs(steps, { tx, config });
  return toRunView(rows[0], steps.map((step, index) => ({ ...step, output: outputs[index] })));
}

export interface RunListFilter {
  workflowId?: string;
  contactId?: string;
  status?: RunStatus;
  limit: number;
  cursor?: string;
}

/** Newest first, keyset-paginated on (started_at, id). */
export async function listRunViews(tx: Tx, accountId: string, filter: RunListFilter): Promise<{ items: RunView[]; nextCursor: string | null }> {
  const before = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows: (RunRow & { position_at: string })[] = await tx.query(
    `SELECT *, ${cursorTimeSql('started_at')} AS position_at FROM runs WHERE account_id = $1
       AND ($2::uuid IS NULL OR workflow_id = $2) AND ($3::uuid IS NULL OR contact_id = $3) AND ($4::text IS NULL OR status = $4)
       AND ($5::timestamptz IS NULL OR (started_at, id) < ($5::timestamptz, $6::uuid))
     ORDER BY started_at DESC, id DESC LIMIT $7`,
    [accountId, filter.workflowId ?? null, filter.contactId ?? null, filter.status ?? null, before?.at ?? null, before?.id ?? null, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toRunView(row)),
    nextCursor: rows.length > filter.limit && last ? encodeCursor({ at: last.position_at, id: last.id }) : null,
  };
}
