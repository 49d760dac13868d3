import type { Container } from '../container';
import { defaultNext } from '../definition/step-navigation';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { toStorableJson } from '../lib/storable-json';
import type { RunLane } from '../queue/run-lanes';
import type { ActionOutcome } from './action-contract';
import type { EngineResources } from './engine-resources';
import { markStepWaiting, type StepClaim } from './run-step-store';
import { scheduleTimeout } from './step-scheduler';
import { toStoredOutput } from './step-outputs';
import { withWaitState, type WaitState } from './wait-state';

/** Why a job's chain of steps stops at a step (the chain's log line says it). */
export type ChainStop =
  'completed' | 'waiting' | 'failed' | 'retrying' | 'delayed' | 'claim lost' | 'next step not claimed';

/**
 * A recorded step the run goes on from: to `next`, already claimed by this job when `claim` is set
 * (then `output` is the step's output as stored, for the context of the next step).
 */
export type RecordedOutcome =
  | { next: string; claim: StepClaim; output: unknown; contact?: Record<string, unknown> }
  | { next: string; claim: null }
  | { stop: ChainStop; ended?: string }
  | typeof WRITE_REFUSED;

/** The outcome's contact write was refused, so the step was not recorded (ContactWriteInRecord.otherwise). */
export const WRITE_REFUSED = Symbol('contact write refused');

export interface RecordOptions {
  definition: WorkflowDefinition;
  runId: string;
  /** The run's account and contact: what an outcome's contact write writes. */
  accountId: string;
  contactId: string;
  lane: RunLane;
  stepId: string;
  claimToken: string;
  index: number;
  outcome: ActionOutcome;
  /** The job runs the next step inline: claim it in the statement that records this one. */
  claimNext: boolean;
}

/**
 * Records a step's outcome, fenced by its claim: waiting (with its timer armed), or finished with the
 * run moved on (or completed). When the job goes on inline, the finish also claims the next step in
 * the same statement: a round trip and a commit fewer per step. Finishes go through the process's
 * group commit (step-finish-writer.ts), one statement and one commit for the jobs that finish together.
 */
export async function recordOutcome(
  c: Container,
  resources: EngineResources,
  options: RecordOptions,
): Promise<RecordedOutcome> {
  const { definition, runId, accountId, contactId, lane, stepId, claimToken, index, outcome } = options;
  const type = definition.steps[index]!.type;
  if (outcome.kind === 'wait') {
    const wait: WaitState = {
      event: outcome.event,
      calendar: outcome.calendar,
      until: outcome.until?.toISOString() ?? null,
      onEvent: outcome.onEvent,
      onTimeout: outcome.onTimeout,
    };
    const output = toStorableJson(withWaitState(outcome.output, wait));
    const marked = await c.db.transaction((tx) =>
      markStepWaiting(tx, { runId, stepId, claimToken, output, event: outcome.event, until: outcome.until }),
    );
    if (!marked) return { stop: 'claim lost' };
    if (outcome.until) await scheduleTimeout(c.queues, { runId, stepId, lane }, outcome.until);
    return { stop: 'waiting' };
  }
  const next =
    outcome.kind === 'end' ? null : outcome.next === undefined ? defaultNext(definition, index) : outcome.next;
  const status = outcome.kind === 'skipped' ? 'skipped' : 'completed';
  const output =
    outcome.kind === 'skipped'
      ? { ...(isObject(outcome.output) ? outcome.output : {}), reason: outcome.reason }
      : outcome.output;
  const stored = toStoredOutput(resources.executors, type, output ?? {});
  // A step the version does not have fails the run when the chain reaches it (step-runner.ts); a step
  // that leads to itself is refused by its own claim. Neither is claimed here.
  const nextType = next === null || next === stepId ? undefined : definition.steps.find((s) => s.id === next)?.type;
  // An `end` to claim is recorded with this finish instead, the run completed (finishSteps).
  const claimNext = options.claimNext && next !== null && nextType !== undefined;
  const contactWrite = outcome.kind === 'completed' ? outcome.contactWrite : undefined;
  // Handed to the process's group commit: settles once written, with the finishes of other jobs.
  const result = await resources.finishes.submit({
    runId,
    stepId,
    claimToken,
    status,
    output: stored,
    nextStepId: next,
    nextType: claimNext ? nextType : null,
    ...(contactWrite && { contactWrite: { accountId, contactId, write: contactWrite.write } }),
  });
  if (!result.finished) return result.refused ? WRITE_REFUSED : { stop: 'claim lost' };
  if (result.ended) return { stop: 'completed', ended: next! };
  if (next === null) return { stop: 'completed' };
  if (!claimNext) return { next, claim: null };
  if (!result.claim) return { stop: 'next step not claimed' };
  const contact = contactWrite && result.contact !== undefined ? contactWrite.contactOf(result.contact) : undefined;
  return { next, claim: result.claim, output: result.output, ...(contact && { contact }) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
