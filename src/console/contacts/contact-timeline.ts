import { contactAppointmentBookedAt, selectContactAppointmentsInWindow } from '../../booking/appointment-store';
import type { Tx } from '../../db/data-source';
import { stepLabel } from '../../definition/step-labels';
import { selectTimelineSteps, type TimelineStepRow } from '../../engine/run-step-views-store';
import { contactRunStartAt, selectContactRunsInWindow, type TimelineRunRow } from '../../engine/run-store';
import { contactLinkCreatedAt, selectContactLinksInWindow } from '../../links/link-store';
import { contactMessageAt, selectContactMessagesInWindow } from '../../messaging/message-store';
import { loadWorkflowVersion } from '../../workflows/workflow-repository';
import { workflowNames } from '../workflows/workflow-stats';
import { cursorTimeMinus, type TimelinePosition } from './contact-timeline-cursor';
import { mergeTimeline, type TimelineEntry } from './contact-timeline-entry';
import { appointmentEntries, linkEntries, messageEntry } from './contact-timeline-records';
import { runEntries, stepEntries, stepTypeLabel, type StepNames } from './contact-timeline-runs';

/**
 * A contact's history as one list, newest first: runs, their steps, messages, one-time links and
 * appointments, each of which has a table and a store of its own.
 *
 * A page never reads the contact's whole history. It first finds a time window holding at least a
 * page of entries: for each table whose rows each give one entry (a run's start, a message, a link's
 * minting, a booking), the time of the contact's (N + 1)-th newest row before the page's cursor;
 * the latest of these is the window's start. Then it reads, from each table, only the rows with
 * something inside the window (for runs, those live or ended since its start; their steps by the
 * run_steps key), turns them into entries, and keeps the N newest before the cursor. Every entry of
 * the window is read, so pages neither skip nor repeat entries, however the tables interleave.
 */

/** Entries on a page of the contact page. */
export const TIMELINE_PAGE_SIZE = 100;
/** A poll reads again what happened this long before the newest entry it has: see contactTimelineSince. */
export const POLL_OVERLAP_MS = 5 * 60_000;
/** A guard, never reached by a real contact's window: at most this many rows of one table per page. */
const ROW_CAP = 1000;
const STEP_CAP = 5000;

interface ContactRef {
  accountId: string;
  contactId: string;
}

/** A page of the timeline: `limit` entries older than `before` (the newest when null), and where the next page starts. */
export async function contactTimelinePage(
  tx: Tx,
  options: ContactRef & { before: TimelinePosition | null; limit?: number },
): Promise<{ entries: TimelineEntry[]; older: TimelinePosition | null }> {
  const limit = options.limit ?? TIMELINE_PAGE_SIZE;
  const bound = { ...options, before: options.before?.at ?? null, offset: limit };
  const starts = [
    await contactRunStartAt(tx, bound),
    await contactMessageAt(tx, bound),
    await contactLinkCreatedAt(tx, bound),
    await contactAppointmentBookedAt(tx, bound),
  ];
  const since = starts.reduce<string | null>(
    (latest, at) => (at !== null && (latest === null || at > latest) ? at : latest),
    null,
  );
  const all = await collect(tx, { ...options, since, until: options.before?.at ?? null });
  const entries = mergeTimeline(all, { since, before: options.before });
  const page = entries.slice(0, limit);
  const last = page[page.length - 1];
  return { entries: page, older: entries.length > limit && last ? { at: last.at, key: last.key } : null };
}

/**
 * What the timeline holds from a little before `after` (the newest entry a page shows) on, for the
 * page's poll; the page replaces what it has from `from` on with these. The overlap catches rows
 * whose time is earlier than their commit (a message is dated when its sending began) and entries
 * that changed (a step that was in progress). When more than `limit` entries happened, only the
 * newest are answered (`truncated`), with `from` moved up to them.
 */
export async function contactTimelineSince(
  tx: Tx,
  options: ContactRef & { after: TimelinePosition; limit?: number },
): Promise<{ entries: TimelineEntry[]; from: string | null; truncated: boolean }> {
  const limit = options.limit ?? TIMELINE_PAGE_SIZE;
  const since = cursorTimeMinus(options.after.at, POLL_OVERLAP_MS);
  const entries = mergeTimeline(await collect(tx, { ...options, since, until: null }), { since, before: null });
  if (entries.length <= limit) return { entries, from: since, truncated: false };
  // Whole microseconds only, so that `from` on covers exactly what is answered.
  const boundary = entries[limit - 1]!.at;
  const kept = entries.filter((entry) => entry.at > boundary);
  return { entries: kept, from: kept[kept.length - 1]?.at ?? null, truncated: true };
}

/** Every entry of the rows with something inside [since, until] (unsorted; some may lie outside it). */
async function collect(
  tx: Tx,
  options: ContactRef & { since: string | null; until: string | null },
): Promise<TimelineEntry[]> {
  const window = { ...options, limit: ROW_CAP };
  const runs = await selectContactRunsInWindow(tx, window);
  const steps = await selectTimelineSteps(tx, { ...options, runIds: runs.map((run) => run.id), limit: STEP_CAP });
  const messages = await selectContactMessagesInWindow(tx, window);
  const links = await selectContactLinksInWindow(tx, window);
  const appointments = await selectContactAppointmentsInWindow(tx, window);
  const names = runs.length ? await workflowNames(tx, options.accountId) : new Map<string, string>();
  const stepNames = await stepNamesOf(tx, runs, steps);
  return [
    ...runs.flatMap((run) => runEntries(run, names.get(run.workflow_id) ?? 'a deleted workflow')),
    ...steps.flatMap((step) => stepEntries(step, stepNames(step))),
    ...messages.map(messageEntry),
    ...links.flatMap(linkEntries),
    ...appointments.flatMap(appointmentEntries),
  ];
}

/**
 * Names steps by their run's version (a step's `name`, else its id). Versions come from the cached
 * loader, so a page reads each at most once; one that no longer loads leaves its steps' ids.
 */
async function stepNamesOf(
  tx: Tx,
  runs: TimelineRunRow[],
  steps: TimelineStepRow[],
): Promise<(step: TimelineStepRow) => StepNames> {
  const runsById = new Map(runs.map((run) => [run.id, run]));
  const versionKey = (run: TimelineRunRow): string => `${run.workflow_id}:${run.workflow_version}`;
  const names = new Map<string, Map<string, string | undefined>>();
  for (const step of steps) {
    const run = runsById.get(step.run_id);
    if (!run || names.has(versionKey(run))) continue;
    const definition = await loadWorkflowVersion(tx, run.workflow_id, run.workflow_version).catch(() => null);
    names.set(versionKey(run), new Map(definition?.steps.map((s) => [s.id, s.name]) ?? []));
  }
  return (step) => {
    const run = runsById.get(step.run_id);
    const name = run ? names.get(versionKey(run))?.get(step.step_id) : undefined;
    return { label: stepLabel({ id: step.step_id, name }), typeLabel: stepTypeLabel(step.type) };
  };
}
