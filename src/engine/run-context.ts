import type { Tx } from '../db/data-source';
import type { Config } from '../config/env';
import { appointmentIdOfRun, loadAppointmentContext } from '../booking/appointment-context';
import { getContact } from '../contacts/contact-service';
import type { RunContext } from '../actions/action';
import type { RunRow } from './run-repository';
import { restoreStepOutputs } from './step-outputs';

export interface RunContextOptions {
  run: RunRow;
  workflow: { slug: string; name: string };
  /** PUBLIC_URL and LINK_SECRET build `appointment.rescheduleUrl`/`cancelUrl`; without it there is no `appointment`. */
  config?: Pick<Config, 'PUBLIC_URL' | 'LINK_SECRET'>;
}

/** Everything a template or condition of this run can see, loaded fresh for each step. */
export async function loadRunContext(tx: Tx, { run, workflow, config }: RunContextOptions): Promise<RunContext> {
  const [contact, accounts, steps] = await Promise.all([
    getContact(tx, run.account_id, run.contact_id),
    tx.query('SELECT id, name, timezone FROM accounts WHERE id = $1', [run.account_id]) as Promise<RunContext['account'][]>,
    tx.query(`SELECT step_id, type, output FROM run_steps WHERE run_id = $1 AND status IN ('completed', 'skipped', 'waiting') ORDER BY seq`, [
      run.id,
    ]) as Promise<{ step_id: string; type: string; output: unknown }[]>,
  ]);
  if (config) {
    const outputs = await restoreStepOutputs(steps, { tx, config });
    steps.forEach((row, index) => (row.output = outputs[index]));
  }
  const appointment = config ? await bookingOfRun(tx, run, steps.map((row) => row.output), config) : null;
  return {
    contact: withMergeFieldAliases(contact),
    account: accounts[0]!,
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
