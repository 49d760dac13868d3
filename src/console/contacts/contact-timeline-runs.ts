import { eventLabel, timeoutLabel } from '../../definition/step-labels';
import { stepTypeOf } from '../../definition/step-types';
import type { TimelineStepRow } from '../../engine/run-step-views-store';
import type { TimelineRunRow } from '../../engine/run-store';
import { entryKey, RANK, type Segment, type TimelineEntry } from './contact-timeline-entry';
import { explainFailure, explainRunFailure } from './message-reasons';

/** The entries of a run: its start and, once it ended, its end (with the reason of a failure). */
export function runEntries(run: TimelineRunRow, workflowName: string): TimelineEntry[] {
  const common = { kind: 'run' as const, link: { href: `/app/runs/${run.id}`, text: workflowName }, test: run.is_test };
  const entries: TimelineEntry[] = [
    {
      ...common,
      key: entryKey(RANK.runStarted, 'run', run.id, 'started'),
      at: run.started_at_us,
      event: 'started',
      tone: 'info',
      title: 'Run started',
      lines: [[{ text: `Version ${run.workflow_version} · ${triggerText(run.trigger_type)}` }]],
    },
  ];
  if (run.finished_at_us !== null && run.status !== 'running' && run.status !== 'waiting') {
    const failure = run.status === 'failed' ? explainRunFailure(run.error) : null;
    entries.push({
      ...common,
      key: entryKey(RANK.runEnded, 'run', run.id, run.status),
      at: run.finished_at_us,
      event: run.status,
      tone: run.status === 'completed' ? 'good' : run.status === 'failed' ? 'bad' : 'warn',
      title: `Run ${run.status}`,
      lines: failure?.stepId ? [[{ text: `At step ${failure.stepId}` }]] : [],
      ...(failure && { reason: failure.reason }),
    });
  }
  return entries;
}

/** Why a run started, by its trigger's type. */
const TRIGGERS: Readonly<Record<string, string>> = {
  manual: 'enrolled by hand or by a campaign',
  'contact.created': 'started when the contact was created',
  'contact.tag_added': 'started by a tag',
  'appointment.booked': 'started by a booking',
  'appointment.cancelled': 'started by a cancellation',
  'appointment.rescheduled': 'started by a new appointment time',
  'link.redeemed': 'started by a one-time link used',
  'link.expired': 'started by a one-time link that expired',
};

const triggerText = (type: string): string => TRIGGERS[type] ?? `started by the event ${type}`;

/** What a waiting step waits for, besides its time: `they book`. */
const WAITS_FOR: Readonly<Record<string, string>> = {
  'appointment.booked': 'they book',
  'appointment.cancelled': 'they cancel their appointment',
  'appointment.rescheduled': 'they move their appointment',
  'link.redeemed': 'they use their one-time link',
  'link.expired': 'their one-time link expires',
};

interface WaitShape {
  event: string | null;
  until: string | null;
}

function waitOf(value: unknown): WaitShape | null {
  if (typeof value !== 'object' || value === null) return null;
  const wait = value as Record<string, unknown>;
  return {
    event: typeof wait.event === 'string' ? wait.event : null,
    until: typeof wait.until === 'string' && !Number.isNaN(Date.parse(wait.until)) ? wait.until : null,
  };
}

/** "Waits until <time>, or until they book". */
function waitLine(wait: WaitShape): Segment[] {
  const event = wait.event === null ? null : (WAITS_FOR[wait.event] ?? `the event ${wait.event} happens`);
  if (wait.until === null) return [{ text: `Waits until ${event ?? 'it is resumed'}` }];
  return [{ text: 'Waits until ' }, { when: wait.until }, ...(event ? [{ text: `, or until ${event}` }] : [])];
}

/** How a step is named on the page: its name in the run's version (else its id) and its type's label. */
export interface StepNames {
  label: string;
  typeLabel: string;
}

export const stepTypeLabel = (type: string): string => stepTypeOf(type)?.label ?? type;

/**
 * The entries of a step: a wait's start (and its end, by which exit), a step still being tried (with
 * the last attempt's error), and a step that completed, was skipped or failed. A cancelled step has
 * none of its own: its run's cancellation says it.
 */
export function stepEntries(step: TimelineStepRow, names: StepNames): TimelineEntry[] {
  const common = {
    kind: 'step' as const,
    title: names.typeLabel,
    link: { href: `/app/runs/${step.run_id}`, text: names.label },
  };
  const key = (event: string): string => entryKey(RANK.record, 'step', step.run_id, step.seq, event);
  const wait = waitOf(step.wait);
  const entries: TimelineEntry[] = [];
  if (wait !== null) {
    entries.push({
      ...common,
      key: key('waiting'),
      at: step.started_at_us,
      event: 'waiting',
      tone: 'warn',
      badge: { status: 'waiting', label: step.status === 'waiting' ? 'waiting' : 'waited' },
      lines: [waitLine(wait)],
    });
  }
  if (step.status === 'running') {
    entries.push({
      ...common,
      key: key('running'),
      at: step.started_at_us,
      event: 'running',
      tone: 'warn',
      badge: { status: 'running', label: 'in progress' },
      lines: step.error ? [[{ text: `Attempt ${step.attempts} failed; it will be tried again.` }]] : [],
      ...(step.error && { reason: explainFailure(step.error) }),
    });
  }
  if (
    step.finished_at_us !== null &&
    (step.status === 'completed' || step.status === 'skipped' || step.status === 'failed')
  ) {
    const exit =
      wait && step.status === 'completed'
        ? step.resumed_by === 'event'
          ? eventLabel(step.resumed_event ?? wait.event ?? undefined)
          : timeoutLabel(wait.event ?? undefined)
        : null;
    entries.push({
      ...common,
      key: key(step.status),
      at: step.finished_at_us,
      event: step.status,
      tone: step.status === 'completed' ? 'good' : step.status === 'failed' ? 'bad' : 'warn',
      badge: { status: step.status, label: exit ? 'wait over' : step.status },
      lines: exit ? [[{ text: `Went on by “${exit}”` }]] : [],
      ...(step.status === 'failed' && { reason: explainFailure(step.error) }),
    });
  }
  return entries;
}
