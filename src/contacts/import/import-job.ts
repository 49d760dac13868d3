import type { Container } from '../../container';
import type { Tx } from '../../db/data-source';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { AppError } from '../../lib/errors';
import type { JobPayload } from '../../queue/job-catalog';
import { bulkActionBatch, type BulkDeps } from './bulk-batch';
import { lockImport, markImportFailed, markRunning, recordBatch } from './contact-import-store';
import { importCsvBatch } from './csv-batch';
import { enqueueImport } from './import-service';

/** Batches per job: then the next slice is enqueued, so campaign batches on the same queue get their turn. */
export const SLICE_BATCHES = 10;

/** Thrown while the import is not yet `queued`: the job was enqueued before its transaction committed. */
class ImportNotQueuedYet extends Error {
  override readonly name = 'ImportNotQueuedYet';
}

type BatchStep = { finished: true } | { finished: false; cursor: number };

async function runBatch(tx: Tx, deps: BulkDeps, importId: string): Promise<BatchStep> {
  const job = await lockImport(tx, importId);
  if (!job || job.status === 'completed' || job.status === 'failed') return { finished: true };
  if (job.status === 'staging' || job.status === 'staged') throw new ImportNotQueuedYet(importId);
  if (job.status === 'queued') await markRunning(tx, importId);
  const counts = job.kind === 'csv' ? await importCsvBatch(tx, job) : await bulkActionBatch(tx, job, deps);
  await recordBatch(tx, importId, counts);
  return counts.done ? { finished: true } : { finished: false, cursor: counts.lastRow };
}

/**
 * One slice of an import or bulk action (job `contacts.import`). Each batch is one transaction that
 * locks the import, reads its cursor, does the work and moves the cursor, so a killed worker's
 * redelivered job, or two deliveries at once, never count a row twice. An expected error (the
 * workflow of a bulk enrolment was deactivated) fails the import at once; anything else is
 * retried by the queue, and fails it on the last attempt.
 */
export async function processImportSlice(
  c: Container,
  deps: BulkDeps,
  payload: JobPayload<'contacts.import'>,
  attempt: { last: boolean },
): Promise<void> {
  const log = c.logger.child({ importId: payload.importId });
  try {
    let cursor = payload.from;
    for (let batch = 0; batch < SLICE_BATCHES; batch++) {
      const step = await c.db.transaction((tx) => runBatch(tx, deps, payload.importId));
      if (step.finished) {
        log.info('contact import finished');
        return;
      }
      cursor = step.cursor;
    }
    await enqueueImport(c.queues, payload.importId, cursor);
  } catch (error) {
    if (error instanceof AppError) {
      log.warn({ code: error.code }, 'contact import failed');
      await markImportFailed(c.db.manager, payload.importId, error.message);
      return;
    }
    if (attempt.last && !isDatabaseUnavailable(error) && !(error instanceof ImportNotQueuedYet)) {
      await markImportFailed(
        c.db.manager,
        payload.importId,
        'Errors kept it from going on; the server logs say why',
      ).catch(() => undefined);
    }
    throw error;
  }
}
