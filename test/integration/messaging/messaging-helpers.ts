import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActionContext } from '../../../src/actions/action';
import type { ActionDeps } from '../../../src/actions/action-deps';
import type { Container } from '../../../src/container';
import { loadRunContext } from '../../../src/actions/run-context';
import { findRun } from '../../../src/engine/run-store';
import { renderTemplate } from '../../../src/templating/template';
import { createLogger } from '../../../src/lib/logger';
import type { MessageRow } from '../../../src/messaging/message-store';
import { waitFor } from '../../helpers/test-env';
import { runsOf, type RunRowLite } from '../../helpers/engine';

/** The message rows of a run, by step. */
export async function messagesOf(container: Container, runId: string): Promise<MessageRow[]> {
  return container.db.query('SELECT * FROM messages WHERE run_id = $1 ORDER BY created_at', [runId]);
}

/** The first run of a workflow once it reached `status`. */
export async function runReaching(
  container: Container,
  workflowId: string,
  status: string,
  timeoutMs = 20_000,
): Promise<RunRowLite> {
  return waitFor(async () => (await runsOf(container, workflowId)).find((run) => run.status === status), {
    timeoutMs,
    what: `a ${status} run`,
  });
}

/** The run of a contact in a workflow once it reached `status`. */
export async function runOfContact(
  container: Container,
  workflowId: string,
  contactId: string,
  status: string,
  timeoutMs = 20_000,
) {
  return waitFor(
    async () =>
      (await runsOf(container, workflowId)).find((run) => run.contact_id === contactId && run.status === status),
    {
      timeoutMs,
      what: `a ${status} run of the contact`,
    },
  );
}

/** A run row inserted directly (no enrolment), for calling an action by hand with a real (run, step). */
export async function insertRun(
  container: Container,
  options: { accountId: string; workflowId: string; contactId: string },
): Promise<string> {
  const rows: { id: string }[] = await container.db.query(
    `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, trigger)
     VALUES ($1, $2, 1, $3, 'running', '{"type":"manual","data":{}}') RETURNING id`,
    [options.accountId, options.workflowId, options.contactId],
  );
  return rows[0]!.id;
}

/** The context the step processor would build for (run, step), with the given deps. */
export async function stepContext<C>(
  container: Container,
  options: { runId: string; stepId: string; config: C; deps: ActionDeps; isLastAttempt?: boolean; type?: string },
): Promise<ActionContext<C>> {
  const run = (await findRun(container.db.manager, options.runId))!;
  const context = await loadRunContext(container.db.manager, { run, workflow: { slug: 'test', name: 'Test' } });
  return {
    config: options.config,
    step: { id: options.stepId, type: options.type ?? 'send_email', config: {} },
    runId: run.id,
    accountId: run.account_id,
    contactId: run.contact_id,
    context,
    render: (template) => renderTemplate(template, context),
    idempotencyKey: `${run.id}:${options.stepId}`,
    attempt: 1,
    isLastAttempt: options.isLastAttempt ?? false,
    deps: options.deps,
    log: createLogger({ level: 'silent', pretty: false }),
  };
}

/** A templates folder of its own: `files` maps relative paths to contents. `remove()` deletes it. */
export async function templatesDir(
  files: Record<string, string>,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lf-templates-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
