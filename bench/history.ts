/**
 * BENCH_HISTORY_RUNS=1000000: before the paths run, the tables get that many finished runs of
 * another account (each with three steps, its published outbox event, a message for every second
 * run, a used one-time link for every fourth, an appointment for every twelfth), so the figures are
 * those of a long-lived installation. A fifth of them finished longer ago than RUN_RETENTION_DAYS
 * (90): the app's retention job prunes them, in its batches, while the paths run. The rest stay.
 */
import { createWorkflow } from '../src/workflows/workflow-repository';
import { createTestAccount, type TestEnv } from '../test/helpers/test-env';
import { addHistoryCalendar, fillRunHistory } from '../test/helpers/run-history';

/** Runs added per statement. */
const CHUNK = 100_000;
/** Share of the history old enough to be pruned during the bench. */
const PRUNABLE_SHARE = 0.2;
/** Batch numbers of fillRunHistory (its token hashes and appointment times) clear of the event-cost table's 0, 1, 2. */
const FIRST_BATCH = 100;

export interface HistoryPreload {
  runs: number;
  prunable: number;
  seconds: number;
}

export async function preloadHistory(env: TestEnv, runs: number): Promise<HistoryPreload> {
  const c = env.container;
  const started = Date.now();
  const { accountId } = await createTestAccount(c, { name: 'History' });
  const calendar = await addHistoryCalendar(c, accountId, 'History');
  const workflow = await c.db.transaction((tx) =>
    createWorkflow(
      tx,
      accountId,
      {
        id: 'history',
        name: 'History',
        trigger: { type: 'manual' },
        steps: [
          { id: 'tag', type: 'add_tag', tag: 'history' },
          { id: 'wait', type: 'wait', duration: '1h', event: 'paid' },
          { id: 'done', type: 'end' },
        ],
      },
      'api',
    ),
  );
  const prunable = Math.round(runs * PRUNABLE_SHARE);
  let added = 0;
  for (let batch = FIRST_BATCH; added < runs; batch++) {
    // Chunks end at the prunable share's end, so each chunk is all old or all recent.
    const size = Math.min(CHUNK, (added < prunable ? prunable : runs) - added);
    await fillRunHistory(c, {
      accountId,
      workflowId: workflow.id,
      version: 1,
      calendarId: calendar.id,
      runs: size,
      batch,
      // Finished 119 days ago (past RUN_RETENTION_DAYS, 90) or 29 days ago (kept).
      ageDays: added < prunable ? 120 : 30,
    });
    added += size;
    process.stdout.write(
      `\rhistory: ${added.toLocaleString('en-US')} of ${runs.toLocaleString('en-US')} finished runs`,
    );
  }
  await c.db.query('ANALYZE');
  process.stdout.write('\n');
  return { runs, prunable, seconds: (Date.now() - started) / 1000 };
}
