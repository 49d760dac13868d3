import { once } from 'node:events';
import { Router, type Response } from 'express';
import type { Container } from '../../container';
import type { ContactImportRow } from '../../contacts/import/contact-import-store';
import { failedRowsCsv } from '../../contacts/import/error-report';
import { requireCsvImport, toImportView } from '../../contacts/import/import-service';
import type { Tx } from '../../db/data-source';
import type { Logger } from '../../lib/logger';
import { getAuth, requireApiKey } from '../middleware/auth';
import { receiveImportUpload } from './contact-import-upload';

/**
 * `POST /contacts/import`: mounted beside the API router rather than in it, because its body is a
 * multipart stream of up to 100 MB, not the API's JSON of at most 1 MB; it checks the key itself.
 * `maxBytes` (default MAX_IMPORT_BYTES, 100 MB) is there for tests.
 */
export function contactImportUploadRoutes(c: Container, options: { maxBytes?: number } = {}): Router {
  const router = Router();
  router.post('/contacts/import', requireApiKey(c.db, { logger: c.logger }), async (req, res) => {
    const { accountId } = getAuth(req);
    const { importId } = await receiveImportUpload(c, req, res, { accountId, start: true, maxBytes: options.maxBytes });
    res.status(202).location(`/api/v1/imports/${importId}`).json({ id: importId, status: 'queued' });
  });
  return router;
}

/**
 * Streams an import's failed rows as CSV. The first line is read before the headers go out, so a
 * refusal (the rows are purged: 410) is still an ordinary error answer.
 */
export async function sendFailedRows(
  tx: Tx,
  res: Response,
  options: { job: ContactImportRow; log: Logger },
): Promise<void> {
  const { job } = options;
  const lines = failedRowsCsv(tx, job);
  const first = await lines.next();
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="import-${job.id}-failed-rows.csv"`);
  try {
    if (!first.done) res.write(first.value);
    for await (const line of lines) if (!res.write(line)) await once(res, 'drain');
    res.end();
  } catch (error) {
    // The headers are out: the only honest signal left is a cut-off answer.
    options.log.error({ err: error, importId: job.id }, 'error report failed');
    res.destroy();
  }
}

/** An import's progress and its error report: ordinary JSON-API routes. */
export function contactImportRoutes(c: Container): Router {
  const router = Router();
  router.get('/imports/:id', async (req, res) => {
    const { accountId } = getAuth(req);
    res.json(toImportView(await requireCsvImport(c.db.manager, accountId, req.params.id)));
  });
  router.get('/imports/:id/errors', async (req, res) => {
    const { accountId } = getAuth(req);
    const job = await requireCsvImport(c.db.manager, accountId, req.params.id);
    await sendFailedRows(c.db.manager, res, { job, log: c.logger });
  });
  return router;
}
