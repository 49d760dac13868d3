import type { Tx } from '../db/data-source';
import { findAccountRow } from '../accounts/account-store';
import { appointmentIdOfRun, loadAppointmentContext } from '../booking/appointment-context';
import { getContact } from '../contacts/contact-service';
import type { RunContext, RunContextOptions } from '../engine/action-contract';
import { listRecordedStepOutputs } from '../engine/run-step-store';
import type { RunRow } from '../engine/run-store';
import { restoreStepOutputs } from '../engine/step-outputs';
import { actions } from './index';

/** Everything a template or condition of this run can see, loaded fresh for each step (the engine's ContextLoader). */
export async function loadRunContext(tx: Tx, { run, workflow, config }: RunContextOptions): Promise<RunContext> {
  const [contact, account, steps] = await Promise.all([
    getContact(tx, run.account_id, run.contact_id),
    findAccountRow(tx, run.account_id),
    listRecordedStepOutputs(tx, run.id),
  ]);
  if (config) {
    const outputs = await restoreStepOutputs(steps, { tx, config, codecs: actions });
    steps.forEach((row, index) => (row.output = outputs[index]));
  }
  const appointment = config
    ? await bookingOfRun(
        tx,
        run,
        steps.map((row) => row.output),
        config,
      )
    : null;
  return {
    contact: withMergeFieldAliases(contact),
    // Only what templates may read: the account's name and zone (not its email or console settings).
    account: { id: account!.id, name: account!.name, timezone: account!.timezone },
    workflow: { id: run.workflow_id, slug: workflow.slug, name: workflow.name, version: run.workflow_version },
    run: { id: run.id, startedAt: new Date(run.started_at).toISOString() },
    trigger: { type: run.trigger.type, data: run.trigger.data ?? {} },
    steps: Object.fromEntries(steps.map((row) => [row.step_id, row.output ?? {}])),
    ...(appointment && { appointment: { ...appointment } }),
  };
}

/** The appointment of the booking event that started or last resumed this run, if any. */
async function bookingOfRun(tx: Tx, run: RunRow, outputs: unknown[], config: NonNullable<RunContextOptions['config']>) {
  const appointmentId = appointmentIdOfRun(run.trigger.data ?? {}, outputs);
  if (!appointmentId) return null;
  const urls = { publicUrl: config.PUBLIC_URL, secret: config.LINK_SECRET };
  return loadAppointmentContext(tx, { accountId: run.account_id, appointmentId, urls });
}

/** Marketers write `{{contact.first_name}}` from other tools; both spellings work. */
function withMergeFieldAliases(contact: Awaited<ReturnType<typeof getContact>>): Record<string, unknown> {
  const fullName = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return {
    ...contact,
    first_name: contact.firstName,
    last_name: contact.lastName,
    full_name: fullName,
    fullName,
    custom_fields: contact.customFields,
  };
}
