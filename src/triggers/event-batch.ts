/**
 * Relayed events, processed a batch at a time with a few statements for the whole batch instead of a
 * dozen per event: the active workflows of every (account, trigger type) in one statement (none when
 * the process remembers them: the enrolment checks them, src/triggers/active-workflow-cache.ts), every enrolment of the
 * batch in one statement, one lookup of the runs its events resume, and the new runs' first steps in
 * one addBulk per workflow version. Effectively-once rests on PostgreSQL alone (enrol keys,
 * workflow_enrolments, run_steps.resumed_by_event): a batch processed again creates nothing twice.
 */
import type { Container } from '../container';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { enrolPairs, type EnrolledRun, type EnrolmentPair } from '../engine/enrolment';
import { selectRunsToResume } from '../engine/run-store';
import { startStepsAsJobs, type StartingStep, type StartSteps } from '../engine/inline-start';
import { reenqueueAfterResume, resumeWaitingStep } from '../engine/wait-resume';
import { INTERNAL_EVENT_PREFIX } from '../events/event-types';
import type { OutboxEventRow } from '../events/outbox-store';
import type { TriggerKey } from '../workflows/workflow-store';
import { findActiveWorkflowSets, loadWorkflowVersion, type ActiveWorkflowSet } from '../workflows/workflow-repository';
import { activeWorkflowCacheOf, fingerprintOf } from './active-workflow-cache';
import { handleInternalEvent } from './internal-events';
import { triggerMatches, triggerTypeOf } from './trigger-matcher';

const resumeDeps = { loadVersion: loadWorkflowVersion };

type ContactEvent = OutboxEventRow & { contact_id: string };

/**
 * Enrols the contacts of these events (in id order) in every active workflow they trigger and resumes
 * the contacts' runs that wait for them. Internal events (a manual, test or campaign run) are handled
 * one by one, each as before. Throws on the first failure: the caller decides what a failed batch
 * becomes (src/triggers/event-processor.ts); whatever committed before it is found again, not redone.
 * `start` starts the new runs (and, in a redelivered batch, those found where they stand): a step job
 * each by default; the worker executes their first steps at once (src/engine/inline-start.ts).
 */
export async function processEvents(
  c: Container,
  events: readonly OutboxEventRow[],
  start: StartSteps = startStepsAsJobs(c),
  owner?: string,
): Promise<void> {
  for (const event of events) if (isInternal(event)) await handleInternalEvent(c, event);
  const contactEvents = events.filter(
    (event): event is ContactEvent => !isInternal(event) && event.contact_id !== null,
  );
  if (contactEvents.length === 0) return;
  await enrolFromEvents(c, contactEvents, start, owner);
  await resumeWaitingRuns(c, contactEvents);
}

function isInternal(event: OutboxEventRow): boolean {
  return event.type.startsWith(INTERNAL_EVENT_PREFIX);
}

const triggerKey = (event: OutboxEventRow) => `${event.account_id} ${triggerTypeOf(event.type)}`;

interface Pairing {
  definition: WorkflowDefinition;
  pair: EnrolmentPair;
}

/**
 * Enrols the batch's contacts in the workflows their events trigger, in one statement, then starts
 * the new runs. With the active workflows of every key of the batch remembered, the enrolment goes
 * first and checks them itself (`guard`): one round trip instead of two. Otherwise, or when they were
 * out of date, or when they start nothing (a workflow activated since could), it asks for them (one
 * statement for every key), remembers the answer, and enrols unguarded.
 */
async function enrolFromEvents(
  c: Container,
  events: ContactEvent[],
  start: StartSteps,
  owner: string | undefined,
): Promise<void> {
  const keys = new Map<string, TriggerKey>();
  for (const event of events)
    keys.set(triggerKey(event), { accountId: event.account_id, triggerType: triggerTypeOf(event.type) });
  const cache = activeWorkflowCacheOf(c.db);
  const remembered = cache.get([...keys.keys()]);
  if (remembered) {
    const pairings = pairingsOf(events, keys, remembered, owner);
    if (pairings.length > 0) {
      const guard = { keys: [...keys.values()], fingerprint: fingerprintOf(remembered) };
      const runs = await enrolPairs(c.db.manager, pairsOf(pairings), start.claimsAtEnrolment, guard);
      if (runs) return startRuns(pairings, runs, start, owner);
    }
  }
  const sets = await findActiveWorkflowSets(c.db.manager, [...keys.values()], { log: c.logger });
  [...keys.keys()].forEach((key, i) => cache.set(key, sets[i]!));
  const pairings = pairingsOf(events, keys, sets, owner);
  if (pairings.length === 0) return;
  // One statement, so one commit: a crash before it leaves nothing, after it the redelivered batch
  // finds every run by its enrol key and starts it again where it stands (a queued step's job id makes
  // its enqueue a no-op; a step claimed and not finished is the step in flight). A start that executes
  // the steps at once has the statement claim the new runs' first steps too (claimsAtEnrolment).
  return startRuns(pairings, await enrolPairs(c.db.manager, pairsOf(pairings), start.claimsAtEnrolment), start, owner);
}

/** Every (event, workflow) pair of the batch whose trigger matches; `sets` in the order of `keys`. */
function pairingsOf(
  events: ContactEvent[],
  keys: Map<string, TriggerKey>,
  sets: ActiveWorkflowSet[],
  owner: string | undefined,
): Pairing[] {
  const workflows = new Map([...keys.keys()].map((key, i) => [key, sets[i]!.workflows]));
  const pairings: Pairing[] = [];
  for (const event of events) {
    for (const workflow of workflows.get(triggerKey(event)) ?? []) {
      if (!triggerMatches(workflow.definition.trigger, event)) continue;
      pairings.push({
        definition: workflow.definition,
        pair: {
          enrolKey: `event:${event.id}:${workflow.id}`,
          accountId: event.account_id,
          workflowId: workflow.id,
          workflowVersion: workflow.version,
          allowReentry: workflow.definition.allowReentry,
          contactId: event.contact_id,
          firstStepId: workflow.definition.steps[0]!.id,
          firstStepType: workflow.definition.steps[0]!.type,
          trigger: { type: event.type, data: event.data, eventId: event.id },
          // What a campaign's event starts is campaign work too: on its lane, never ahead of one contact's.
          lane: event.lane,
          ...(owner !== undefined && { enrolJob: owner }),
        },
      });
    }
  }
  return pairings;
}

const pairsOf = (pairings: Pairing[]) => pairings.map(({ pair }) => pair);

/**
 * Starts the batch's runs: those it created, and those it finds (a redelivery) where they stand. A
 * run found that another job's batch created (`owner`: this batch's job) is that job's: it is
 * executing it, or will when BullMQ hands it over as stalled, so starting it here would take over a
 * step in flight. That happens when one event travels in two jobs (the relay killed between putting
 * a batch in Redis and marking its events published, then cutting them differently).
 */
async function startRuns(
  pairings: Pairing[],
  runs: Map<string, EnrolledRun>,
  start: StartSteps,
  owner: string | undefined,
): Promise<void> {
  const stepsByVersion = new Map<WorkflowDefinition, StartingStep[]>();
  for (const { definition, pair } of pairings) {
    const run = runs.get(pair.enrolKey);
    if (!run?.stepId) continue;
    if (!run.created && owner !== undefined && run.enrolJob && run.enrolJob !== owner) continue;
    const steps = stepsByVersion.get(definition) ?? [];
    steps.push({ runId: run.runId, stepId: run.stepId, lane: run.lane, ...(run.opened && { opened: run.opened }) });
    stepsByVersion.set(definition, steps);
  }
  // The steps' retry policies are their version's: one start (one addBulk) per workflow version of the batch.
  await Promise.all([...stepsByVersion].map(([definition, steps]) => start(definition, steps)));
}

async function resumeWaitingRuns(c: Container, events: ContactEvent[]): Promise<void> {
  // A wait may name a calendar: then only that calendar's booking events (by id or slug) end it.
  const found = await selectRunsToResume(
    c.db.manager,
    events.map((event) => ({
      eventId: event.id,
      contactId: event.contact_id,
      eventType: event.type,
      calendarId: stringOrNull(event.data.calendarId),
      calendarSlug: stringOrNull(event.data.calendarSlug),
    })),
  );
  // In event order: of two events of a batch that one wait accepts, the first ends it; the second
  // finds the step no longer waiting (resumeWaitingStep locks it) and leaves the run alone.
  for (const row of found) {
    const event = events[row.event]!;
    if (row.found === 'waiting') {
      await resumeWaitingStep(c, resumeDeps, row.run_id, row.step_id, {
        by: 'event',
        eventId: event.id,
        type: event.type,
        data: event.data,
      });
    } else {
      // A redelivery after a crash between a resume's commit and its enqueue: finish what it started.
      await reenqueueAfterResume(c, resumeDeps, row.run_id, row.step_id);
    }
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
