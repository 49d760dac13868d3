import type { Container } from '../container';
import { enrolContact, type EnrolledRun } from '../engine/enrolment';
import { selectStepsResumedByEvent } from '../engine/run-step-store';
import { selectRunsWaitingForEvent } from '../engine/run-store';
import { INTERNAL_EVENT_PREFIX } from '../events/event-types';
import { findOutboxEvent, type OutboxEventRow } from '../events/outbox-store';
import { scheduleSteps } from '../engine/step-scheduler';
import { resumeWaitingStep, reenqueueAfterResume } from '../engine/wait-resume';
import { findActiveWorkflowsByTrigger, loadWorkflowVersion } from '../workflows/workflow-repository';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { triggerMatches, triggerTypeOf } from './trigger-matcher';
import { handleInternalEvent } from './internal-events';

const resumeDeps = { loadVersion: loadWorkflowVersion };

/**
 * Handles one relayed event: enrols the contact in every active workflow it triggers and resumes
 * the contact's runs that wait for it. Idempotent: a redelivered event finds its runs by enrol key.
 */
export async function processEvent(c: Container, eventId: string): Promise<void> {
  const event = await findOutboxEvent(c.db.manager, eventId);
  if (!event) return;
  if (event.type.startsWith(INTERNAL_EVENT_PREFIX)) return handleInternalEvent(c, event);
  if (!event.contact_id) return;
  await enrolFromEvent(c, event, event.contact_id);
  await resumeWaitingRuns(c, event, event.contact_id);
}

async function enrolFromEvent(c: Container, event: OutboxEventRow, contactId: string): Promise<void> {
  const workflows = (
    await findActiveWorkflowsByTrigger(c.db.manager, event.account_id, triggerTypeOf(event.type), { log: c.logger })
  ).filter((workflow) => triggerMatches(workflow.definition.trigger, event));
  if (workflows.length === 0) return;
  const enrolled = await c.db.transaction(async (tx) => {
    const runs: { definition: WorkflowDefinition; run: EnrolledRun }[] = [];
    for (const workflow of workflows) {
      const run = await enrolContact(tx, {
        accountId: event.account_id,
        workflow: {
          id: workflow.id,
          version: workflow.version,
          allowReentry: workflow.definition.allowReentry,
          firstStepId: workflow.definition.steps[0]!.id,
        },
        contactId,
        enrolKey: `event:${event.id}:${workflow.id}`,
        trigger: { type: event.type, data: event.data, eventId: event.id },
        // What a campaign's event starts is campaign work too: on its lane, never ahead of one contact's.
        lane: event.lane,
      });
      if (run) runs.push({ definition: workflow.definition, run });
    }
    return runs;
  });
  for (const { definition, run } of enrolled) {
    if (run.stepId)
      await scheduleSteps(c.queues, definition, [{ runId: run.runId, stepId: run.stepId, lane: run.lane }]);
  }
}

async function resumeWaitingRuns(c: Container, event: OutboxEventRow, contactId: string): Promise<void> {
  // A wait may name a calendar: then only that calendar's booking events (by id or slug) end it.
  const waiting = await selectRunsWaitingForEvent(c.db.manager, {
    contactId,
    eventType: event.type,
    eventId: event.id,
    calendarId: stringOrNull(event.data.calendarId),
    calendarSlug: stringOrNull(event.data.calendarSlug),
  });
  for (const run of waiting) {
    await resumeWaitingStep(c, resumeDeps, run.id, run.current_step_id, {
      by: 'event',
      eventId: event.id,
      type: event.type,
      data: event.data,
    });
  }
  // A redelivery after a crash between a resume's commit and its enqueue: finish what it started.
  // Found by the event's own index (run_steps_resumed_by_event), never by a filter on the steps'
  // JSON, which PostgreSQL cannot estimate and answered by reading every step of every run.
  const resumedEarlier = await selectStepsResumedByEvent(c.db.manager, { contactId, eventId: event.id });
  for (const row of resumedEarlier) await reenqueueAfterResume(c, resumeDeps, row.run_id, row.step_id);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
