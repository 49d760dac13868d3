import type { Tx } from '../db/data-source';
import { ACCOUNT_COLUMNS, findAccountRow, type AccountRow } from '../accounts/account-store';
import { appointmentIdOfRun, loadAppointmentContext } from '../booking/appointment-context';
import { CONTACT_COLUMNS, findContactRow, toContact, type ContactRow } from '../contacts/contact-store';
import type { Contact } from '../contacts/contact-schema';
import { contactMergeFields } from '../contacts/contact-fields';
import type { ContextExtender, RunContext, RunContextOptions } from '../engine/action-contract';
import type { RunContextLoader } from '../engine/engine-resources';
import {
  listRecordedStepOutputs,
  type ContextColumns,
  type ContextRows,
  type RecordedOutputRow,
} from '../engine/run-step-store';
import type { RunRow } from '../engine/run-store';
import { restoreStepOutputs } from '../engine/step-outputs';
import { NotFoundError } from '../lib/errors';
import { actions } from './index';

/** The rows a step job reads with its claim (openSteps): contacts and accounts as their stores read them. */
export const RUN_CONTEXT_COLUMNS: ContextColumns = { contact: CONTACT_COLUMNS, account: ACCOUNT_COLUMNS };

/** The rows a run's context is built from, as their stores return them. */
interface ContextSource {
  contact: ContactRow;
  account: AccountRow | null;
  outputs: RecordedOutputRow[];
}

/**
 * Everything a template or condition of this run can see (the engine's loader). The step processor
 * loads it once per job, from the rows its opening statement read with the claim (`rows`), and
 * carries it through the steps it runs inline (extendRunContext); without `rows` it reads them.
 */
export const loadRunContext: RunContextLoader = async (tx, options) => {
  const { run, workflow, config } = options;
  const { contact, account, outputs } = options.rows ? fromJson(options.rows) : await readSource(tx, options);
  const steps = outputs.map((row) => ({ ...row }));
  if (config) await restoreOutputsInPlace(tx, steps, config);
  const appointment = config
    ? await bookingOfRun(
        tx,
        run,
        steps.map((row) => row.output),
        config,
      )
    : null;
  return {
    contact: contactMergeFields(toContact(contact)),
    // Only what templates may read: the account's name and zone (not its email or console settings).
    account: { id: account!.id, name: account!.name, timezone: account!.timezone },
    workflow: { id: run.workflow_id, slug: workflow.slug, name: workflow.name, version: run.workflow_version },
    run: { id: run.id, startedAt: new Date(run.started_at).toISOString() },
    trigger: { type: run.trigger.type, data: run.trigger.data ?? {} },
    steps: Object.fromEntries(steps.map((row) => [row.step_id, row.output ?? {}])),
    ...(appointment && { appointment: { ...appointment } }),
  };
};

async function readSource(tx: Tx, { run, firstStep }: Parameters<RunContextLoader>[1]): Promise<ContextSource> {
  const [contact, account, outputs] = await Promise.all([
    findContactRow(tx, run.account_id, run.contact_id),
    findAccountRow(tx, run.account_id),
    firstStep ? [] : listRecordedStepOutputs(tx, run.id),
  ]);
  return { contact, account, outputs };
}

/**
 * The rows as `row_to_json` wrote them, made what their stores return: timestamps back to Dates
 * (JSON has them as ISO text with microseconds; Date keeps milliseconds, as the pg driver does).
 * A missing contact is NotFoundError, as findContactRow says it.
 */
function fromJson(rows: ContextRows): ContextSource {
  if (!rows.contact) throw new NotFoundError('Contact');
  return {
    contact: withDates<ContactRow>(rows.contact, ['email_unsubscribed_at', 'created_at', 'updated_at']),
    account: rows.account && withDates<AccountRow>(rows.account, ['settings_confirmed_at']),
    outputs: rows.outputs,
  };
}

function withDates<Row>(json: Record<string, unknown>, columns: (keyof Row & string)[]): Row {
  const row: Record<string, unknown> = { ...json };
  for (const column of columns) if (typeof row[column] === 'string') row[column] = new Date(row[column]);
  return row as Row;
}

/**
 * The context after steps the job recorded, as loadRunContext would now build it from the rows those
 * steps wrote: their outputs restored like stored ones, the contact they reported, and the
 * appointment read again only when a new output points at another one (a run's appointment is that
 * of the latest booking event in its outputs, see appointmentIdOfRun).
 */
export const extendRunContext: ContextExtender = async (tx, context, { run, config, recorded }) => {
  const rows = recorded.map(({ stepId, type, output }) => ({ step_id: stepId, type, output }));
  if (config) await restoreOutputsInPlace(tx, rows, config);
  const steps = { ...context.steps };
  for (const row of rows) steps[row.step_id] = row.output ?? {};
  const reported = recorded.findLast((step) => step.contact !== undefined)?.contact;
  const extended: RunContext = {
    ...context,
    ...(reported && { contact: contactMergeFields(reported as Contact) }),
    steps,
  };
  const appointmentId = config
    ? appointmentIdOfRun(
        {},
        rows.map((row) => row.output),
      )
    : null;
  if (!appointmentId || appointmentId === context.appointment?.id) return extended;
  const { appointment: _previous, ...rest } = extended;
  const appointment = await appointmentOf(tx, run.account_id, appointmentId, config!);
  return { ...rest, ...(appointment && { appointment: { ...appointment } }) };
};

/** Stored step outputs as templates see them (restoreStepOutputs), written back into the rows. */
async function restoreOutputsInPlace(
  tx: Tx,
  rows: { type: string; output: unknown }[],
  config: NonNullable<RunContextOptions['config']>,
): Promise<void> {
  const restored = await restoreStepOutputs(rows, { tx, config, codecs: actions });
  rows.forEach((row, index) => (row.output = restored[index]));
}

/** The appointment of the booking event that started or last resumed this run, if any. */
async function bookingOfRun(tx: Tx, run: RunRow, outputs: unknown[], config: NonNullable<RunContextOptions['config']>) {
  const appointmentId = appointmentIdOfRun(run.trigger.data ?? {}, outputs);
  return appointmentId ? appointmentOf(tx, run.account_id, appointmentId, config) : null;
}

function appointmentOf(
  tx: Tx,
  accountId: string,
  appointmentId: string,
  config: NonNullable<RunContextOptions['config']>,
) {
  const urls = { publicUrl: config.PUBLIC_URL, secret: config.LINK_SECRET };
  return loadAppointmentContext(tx, { accountId, appointmentId, urls });
}
