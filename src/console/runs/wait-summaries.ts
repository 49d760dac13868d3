import { findCalendarByRef } from '../../booking/calendar-service';
import type { WorkflowDefinition } from '../../definition/definition-schema';
import { stepLabel } from '../../definition/step-labels';
import { defaultNext, findStepIndex } from '../../definition/step-navigation';
import type { Tx } from '../../db/data-source';
import type { StepView } from '../../engine/run-views';
import { waitStateOf } from '../../engine/wait-state';
import { AppError } from '../../lib/errors';
import { loadWorkflowVersion } from '../../workflows/workflow-repository';
import { describeWait, type WaitDescription } from './describe-wait';

export interface WaitSummaryOptions {
  accountId: string;
  workflowId: string;
  workflowVersion: number;
  steps: StepView[];
  zone: string;
}

/**
 * The sentences of each wait step of a run (by step id): what it waits for, where its exits lead and
 * how it ended. Step names and durations come from the run's workflow version, calendar names from
 * the account's calendars; a version that no longer loads leaves the ids and the computed time.
 */
export async function waitSummaries(tx: Tx, options: WaitSummaryOptions): Promise<Map<string, WaitDescription>> {
  const waits = options.steps.flatMap((step) => {
    const wait = waitStateOf(step.output);
    return wait ? [{ step, wait }] : [];
  });
  const summaries = new Map<string, WaitDescription>();
  if (waits.length === 0) return summaries;
  const definition = await loadWorkflowVersion(tx, options.workflowId, options.workflowVersion).catch(
    (error: unknown) => {
      if (error instanceof AppError) return null;
      throw error;
    },
  );
  const calendarNames = new Map<string, string>();
  for (const ref of new Set(waits.flatMap(({ wait }) => (wait.calendar ? [wait.calendar] : [])))) {
    const calendar = await findCalendarByRef(tx, options.accountId, ref);
    if (calendar) calendarNames.set(ref, calendar.name);
  }
  for (const { step, wait } of waits) {
    const output = step.output as { resumedBy?: unknown };
    summaries.set(
      step.id,
      describeWait(wait, {
        zone: options.zone,
        waiting: step.status === 'waiting',
        resumedBy: output.resumedBy === 'event' || output.resumedBy === 'timeout' ? output.resumedBy : undefined,
        durationMs: durationOf(definition, step.id),
        calendarName: wait.calendar ? calendarNames.get(wait.calendar) : undefined,
        stepName: (id) => stepLabel(definition?.steps.find((candidate) => candidate.id === id) ?? { id }),
        defaultNext: definition ? defaultNext(definition, findStepIndex(definition, step.id)) : null,
      }),
    );
  }
  return summaries;
}

/**
 * The configured duration, when it alone set the time (with an `until` too, the earlier of the two
 * did, and the sentence says only when).
 */
function durationOf(definition: WorkflowDefinition | null, stepId: string): number | undefined {
  const config = definition?.steps.find((candidate) => candidate.id === stepId)?.config as
    { duration?: unknown; until?: unknown } | undefined;
  return typeof config?.duration === 'number' && config.until === undefined ? config.duration : undefined;
}
