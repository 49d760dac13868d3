/**
 * "Test" in the builder: one contact through the workflow's current version, now. A test run
 * ignores draft status and re-entry, and is marked `is_test` so lists and the funnel tell it apart.
 * Like a manual run, the run id is promised to the caller here and the run is created by a worker
 * from an outbox event, committed with nothing else: the API never enqueues directly.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Container } from '../container';
import type { Tx } from '../db/data-source';
import { enrolContact } from '../engine/enrolment';
import { scheduleSteps } from '../engine/step-scheduler';
import { appendEvent } from '../events/outbox';
import { INTERNAL_EVENT_PREFIX } from '../events/event-types';
import type { OutboxEventRow } from '../events/outbox-store';
import { NotFoundError } from '../lib/errors';
import { findContactId, findContactIdByEmail } from '../contacts/contact-store';
import { loadWorkflowVersion } from '../workflows/workflow-repository';

export const TEST_ENROL_EVENT = `${INTERNAL_EVENT_PREFIX}test_enrol`;

/** Who to test with: a contact of the account, by email or id (it must exist; create it first). */
export const testRunBodySchema = z.union(
  [z.strictObject({ email: z.email().max(254) }), z.strictObject({ contactId: z.uuid() })],
  { error: 'expected exactly one of email or contactId' },
);
export type TestRunBody = z.infer<typeof testRunBodySchema>;

/** The version is the one current when Test was pressed, even if another is saved before the worker starts it. */
export const testEnrolSchema = z.object({ workflowId: z.uuid(), version: z.number().int().min(1), runId: z.uuid() });

/** A test by email needs the contact to exist: a test never creates contacts as a side effect. */
export class TestContactNotFoundError extends NotFoundError {
  constructor() {
    super('Contact');
    this.message = 'No contact has this email: create the contact first, then test with it';
  }
}

/** Appends the test run's event; 404 when the account has no such contact. */
export async function requestTestRun(
  tx: Tx,
  accountId: string,
  workflow: { id: string; version: number },
  body: TestRunBody,
): Promise<{ runId: string; contactId: string }> {
  const contactId =
    'email' in body
      ? await findContactIdByEmail(tx, accountId, { email: body.email })
      : await findContactId(tx, accountId, body.contactId);
  if (contactId === null) throw 'email' in body ? new TestContactNotFoundError() : new NotFoundError('Contact');
  const runId = randomUUID();
  await appendEvent(tx, {
    accountId,
    type: TEST_ENROL_EVENT,
    contactId,
    data: { workflowId: workflow.id, version: workflow.version, runId },
  });
  return { runId, contactId };
}

/** The worker's half: the run, under its own enrol key (`test:<runId>`), so nothing dedups it away but a redelivery. */
export async function handleTestEnrol(c: Container, event: OutboxEventRow): Promise<void> {
  if (!event.contact_id) return;
  const data = testEnrolSchema.parse(event.data);
  const definition = await loadWorkflowVersion(c.db.manager, data.workflowId, data.version);
  const contactId = event.contact_id;
  const run = await c.db.transaction((tx) =>
    enrolContact(tx, {
      accountId: event.account_id,
      workflow: {
        id: data.workflowId,
        version: data.version,
        allowReentry: true,
        firstStepId: definition.steps[0]!.id,
      },
      contactId,
      enrolKey: `test:${data.runId}`,
      trigger: { type: 'test', data: {}, eventId: event.id },
      runId: data.runId,
      test: true,
    }),
  );
  if (run?.stepId)
    await scheduleSteps(c.queues, definition, [{ runId: run.runId, stepId: run.stepId, lane: run.lane }]);
}
