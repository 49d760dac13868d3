import type { Container } from '../container';
import { pruneFinishedRunsBatch, RUN_PRUNE_BATCH } from '../engine/run-retention';
import { OUTBOX_PRUNE_BATCH, outboxPruneCutoff, pruneOutboxBatch } from '../events/outbox-retention';
import { LINK_PRUNE_BATCH, pruneSpentLinksBatch } from '../links/link-retention';

/** How often the retention job runs. */
export const RETENTION_EVERY_MS = 60_000;
/**
 * Time one run of the job may spend deleting. An installation that fell behind (or just upgraded
 * with years of rows) catches up a budget a minute; one that keeps up spends a few statements.
 */
export const RETENTION_BUDGET_MS = 20_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Rows deleted by one run of the job, by table; `caughtUp` when nothing was left to delete. */
export interface RetentionResult {
  outboxEvents: number;
  runs: number;
  links: number;
  caughtUp: boolean;
}

interface Pruner {
  key: 'outboxEvents' | 'runs' | 'links';
  limit: number;
  batch: () => Promise<number>;
}

/**
 * Deletes, in small batches, what is kept no longer: outbox events published more than
 * `OUTBOX_RETENTION_HOURS` ago (never one a queued job will still read), runs finished more than
 * `RUN_RETENTION_DAYS` ago with their steps and messages, and spent one-time links expired more than
 * `LINK_RETENTION_DAYS` ago (0 keeps that kind for ever). Each batch is one statement, its own short
 * transaction; the tables take turns, a batch each, until all are done or the time budget is spent,
 * so a backlog in one never starves the others. Live rows are never candidates: an unpublished event,
 * a running or waiting run, an active link.
 */
export async function pruneRetainedData(
  c: Container,
  options: { now?: Date; budgetMs?: number; maxBatches?: number } = {},
): Promise<RetentionResult> {
  const now = (options.now ?? new Date()).getTime();
  const deadline = Date.now() + (options.budgetMs ?? RETENTION_BUDGET_MS);
  const { OUTBOX_RETENTION_HOURS, RUN_RETENTION_DAYS, LINK_RETENTION_DAYS } = c.config;
  const pruners: Pruner[] = [];
  if (OUTBOX_RETENTION_HOURS > 0) {
    try {
      const cutoff = await outboxPruneCutoff(c.db, c.queues, new Date(now - OUTBOX_RETENTION_HOURS * HOUR_MS));
      pruners.push({ key: 'outboxEvents', limit: OUTBOX_PRUNE_BATCH, batch: () => pruneOutboxBatch(c.db, cutoff) });
    } catch (error) {
      // Without the queues' view, no event is known to be unread: keep them all until the next run.
      c.logger.warn({ err: error }, 'cannot read the queues: outbox events not pruned this time');
    }
  }
  if (RUN_RETENTION_DAYS > 0) {
    const before = new Date(now - RUN_RETENTION_DAYS * DAY_MS);
    pruners.push({ key: 'runs', limit: RUN_PRUNE_BATCH, batch: () => pruneFinishedRunsBatch(c.db, before) });
  }
  if (LINK_RETENTION_DAYS > 0) {
    const before = new Date(now - LINK_RETENTION_DAYS * DAY_MS);
    pruners.push({ key: 'links', limit: LINK_PRUNE_BATCH, batch: () => pruneSpentLinksBatch(c.db, before) });
  }

  const result: RetentionResult = { outboxEvents: 0, runs: 0, links: 0, caughtUp: false };
  // Round robin: a pruner whose batch came back full goes to the back of the line; a short batch
  // means nothing older is left (for now).
  let pending = pruners;
  // `maxBatches` (default none): a budget in batches rather than time, for a caller that needs it exact.
  let batches = 0;
  while (pending.length > 0 && Date.now() < deadline && batches++ < (options.maxBatches ?? Infinity)) {
    const [pruner, ...rest] = pending as [Pruner, ...Pruner[]];
    const deleted = await pruner.batch();
    result[pruner.key] += deleted;
    pending = deleted === pruner.limit ? [...rest, pruner] : rest;
  }
  result.caughtUp = pending.length === 0;
  if (result.outboxEvents + result.runs + result.links > 0 || !result.caughtUp)
    c.logger.info({ ...result }, 'retention pruned');
  return result;
}
