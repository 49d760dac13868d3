import type { Container } from '../../src/container';
import { createContact } from '../../src/contacts/contact-service';
import type { Tx } from '../../src/db/data-source';
import { enrolContact } from '../../src/engine/enrolment';
import { finishSteps, type FinishedAndClaimed, type StepFinish } from '../../src/engine/run-step-finish-store';
import { createWorkflow } from '../../src/workflows/workflow-repository';

export async function addWorkflow(container: Container, accountId: string, definition: Record<string, unknown>) {
  return container.db.transaction((tx) => createWorkflow(tx, accountId, definition, 'api'));
}

export async function addContact(container: Container, accountId: string, input: Record<string, unknown>) {
  return container.db.transaction((tx) => createContact(tx, accountId, input as Parameters<typeof createContact>[2]));
}

export interface RunRowLite {
  id: string;
  status: string;
  contact_id: string;
  error: string | null;
}

export async function runsOf(container: Container, workflowId: string): Promise<RunRowLite[]> {
  return container.db.query(
    'SELECT id, status, contact_id, error FROM runs WHERE workflow_id = $1 ORDER BY started_at',
    [workflowId],
  );
}

export async function stepsOf(
  container: Container,
  runId: string,
): Promise<{ step_id: string; status: string; attempts: number; output: unknown; error: string | null }[]> {
  return container.db.query(
    'SELECT step_id, status, attempts, output, error FROM run_steps WHERE run_id = $1 ORDER BY seq',
    [runId],
  );
}

/**
 * A manual workflow of `steps` and one contact enrolled in it directly (no event, no worker): the run
 * exists, its first step is not scheduled, and nothing has loaded (and cached) the version yet.
 */
export async function enrolByHand(
  container: Container,
  accountId: string,
  slug: string,
  steps: Record<string, unknown>[],
): Promise<{ runId: string; workflowId: string }> {
  const workflow = await addWorkflow(container, accountId, {
    id: slug,
    name: slug,
    trigger: { type: 'manual' },
    steps,
  });
  const contact = await addContact(container, accountId, { email: `${slug}@example.com` });
  const enrolled = await container.db.transaction((tx) =>
    enrolContact(tx, {
      accountId,
      workflow: { id: workflow.id, version: 1, allowReentry: false, firstStepId: String(steps[0]!.id) },
      contactId: contact.id,
      enrolKey: `by-hand:${slug}`,
      trigger: { type: 'manual', data: {} },
    }),
  );
  return { runId: enrolled!.runId, workflowId: workflow.id };
}

/** One step's finish on its own (finishSteps with it alone), as a job's finish is when no other job's shares its statement. */
export async function finishOne(
  tx: Tx,
  finish: Omit<StepFinish, 'nextType'> & { nextType?: string },
): Promise<FinishedAndClaimed> {
  const [result] = await finishSteps(tx, [{ ...finish, nextType: finish.nextType ?? null }]);
  return result!;
}
