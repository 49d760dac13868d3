import { Router, type Response } from 'express';
import type { Container } from '../../container';
import { cancelStagedImport, confirmImport, requireCsvImport, sampleRows } from '../../contacts/import/import-service';
import type { ContactImportRow } from '../../contacts/import/contact-import-store';
import { ForbiddenError, ValidationError, type IssueDetail } from '../../lib/errors';
import { safeEqual } from '../../lib/secrets';
import { receiveImportUpload } from '../../http/routes/contact-import-upload';
import { previewTagEnrolment } from '../../triggers/tag-enrolment-preview';
import { getSession } from '../session/session-middleware';
import { formText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { importPreviewSentences } from './enrolment-sentences';
import { columnChoices, mappingFromForm } from './import-columns';
import { IMPORT_CONFIRM_VIEW, IMPORT_UPLOAD_VIEW, JOB_PROGRESS_VIEW } from './import-views';
import { jobProgress, plural, progressPageData } from './job-progress';

const SAMPLE_ROWS = 3;

/**
 * `POST /app/contacts/import`: a multipart upload, which the console's urlencoded parser and CSRF
 * check cannot read, so it is mounted before them. Its form puts `_csrf` before the file, and the
 * token is checked before a byte of the file is staged. The import is staged, not started: the
 * confirm page comes next.
 */
export function contactImportUploadPage(c: Container): Router {
  const router = Router();
  router.post('/contacts/import', async (req, res) => {
    const session = getSession(res);
    try {
      const { importId } = await receiveImportUpload(c, req, res, {
        accountId: session.accountId,
        start: false,
        beforeFile: (fields) => {
          if (typeof fields._csrf !== 'string' || !safeEqual(fields._csrf, session.csrfToken))
            throw new ForbiddenError(
              'This form has expired or did not come from the console; reload the page and try again',
            );
        },
      });
      res.redirect(303, `/app/contacts/import/${importId}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      sendPage(res, {
        title: 'Import contacts',
        section: 'contacts',
        view: IMPORT_UPLOAD_VIEW,
        status: 400,
        data: { values: {}, issues: error.issues },
      });
    }
  });
  return router;
}

/** The confirm step: each column's field (with its first values), and what the tags will start. */
async function sendConfirmPage(
  c: Container,
  res: Response,
  options: { job: ContactImportRow; issues?: IssueDetail[] },
): Promise<void> {
  const { job } = options;
  const tx = c.db.manager;
  const preview = await previewTagEnrolment(tx, job.account_id, job.tags, { log: c.logger });
  sendPage(res, {
    title: 'Review the import',
    section: 'contacts',
    view: IMPORT_CONFIRM_VIEW,
    status: options.issues ? 400 : 200,
    data: {
      id: job.id,
      fileName: job.file_name,
      rowsText: plural(job.total, 'row'),
      tags: job.tags,
      columns: columnChoices(job.columns, job.mapping, await sampleRows(tx, job.id, SAMPLE_ROWS)),
      preview: importPreviewSentences(preview, job.total),
      issues: options.issues ?? [],
    },
  });
}

/** The import's pages: the form, the confirm step (columns and what the tags start), the progress. */
export function contactImportPages(c: Container): Router {
  const router = Router();

  router.get('/contacts/import', (req, res) => {
    sendPage(res, {
      title: 'Import contacts',
      section: 'contacts',
      view: IMPORT_UPLOAD_VIEW,
      req,
      data: { values: {} },
    });
  });

  router.get('/contacts/import/:id', async (req, res) => {
    const { accountId } = getSession(res);
    const tx = c.db.manager;
    const job = await requireCsvImport(tx, accountId, req.params.id);
    const pageHref = `/app/contacts/import/${job.id}`;
    if (job.status === 'staged' || job.status === 'staging') return sendConfirmPage(c, res, { job });
    sendPage(res, {
      title: 'Contact import',
      section: 'contacts',
      view: JOB_PROGRESS_VIEW,
      req,
      data: progressPageData(job, {
        heading: job.file_name ? `Import of ${job.file_name}` : 'Contact import',
        pageHref,
        statusUrl: `${pageHref}/status`,
        errorsHref: `/api/v1/imports/${job.id}/errors`,
      }),
    });
  });

  router.get('/contacts/import/:id/status', async (req, res) => {
    const { accountId } = getSession(res);
    res.json(jobProgress(await requireCsvImport(c.db.manager, accountId, req.params.id)));
  });

  router.post('/contacts/import/:id/start', async (req, res) => {
    const { accountId } = getSession(res);
    const job = await requireCsvImport(c.db.manager, accountId, req.params.id);
    const mapping = mappingFromForm(job.columns, (name) => formText(req, name));
    try {
      await confirmImport(c, { accountId, importId: job.id, mapping });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendConfirmPage(c, res, { job: { ...job, mapping }, issues: error.issues });
    }
    res.redirect(303, `/app/contacts/import/${job.id}`);
  });

  router.post('/contacts/import/:id/cancel', async (req, res) => {
    const { accountId } = getSession(res);
    await cancelStagedImport(c.db.manager, accountId, req.params.id);
    res.redirect(303, '/app/contacts/import');
  });

  return router;
}
