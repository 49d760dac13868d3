import { Router } from 'express';
import type { Container } from '../../container';
import { requestManualRun } from '../../triggers/run-requests';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { accountCalendars } from '../../booking/calendar-references';
import { getWorkflow, updateWorkflow } from '../../workflows/workflow-repository';
import { findContactByRef } from '../contacts/contact-search';
import { getSession } from '../session/session-middleware';
import { formRaw, formText } from '../views/form-values';
import { checkSource, locateIssues } from './editor/check-source';
import { sendWorkflowPage } from './workflow-page';

/** What a workflow's page can change: its definition (a new version), its status, and who runs it. */
export function workflowActions(c: Container): Router {
  const router = Router();

  /** "Check" validates and shows the issues beside their lines; "Save" does the same and, when clean, adds a version. */
  router.post('/workflows/:id/definition', async (req, res) => {
    const { accountId } = getSession(res);
    const workflow = await getWorkflow(c.db.manager, accountId, req.params.id);
    const source = formRaw(req, 'definition');
    const check = checkSource(source, {
      slug: workflow.slug,
      calendars: await accountCalendars(c.db.manager, accountId),
    });
    if (req.body?.intent !== 'save' || check.issues.length > 0) {
      await sendWorkflowPage(c, req, res, workflow, {
        editor: { source, issues: check.issues },
        status: check.issues.length > 0 ? 400 : 200,
      });
      return;
    }
    try {
      // Checked again inside the transaction: a calendar may have been renamed since the check above.
      const saved = await c.db.transaction(async (tx) =>
        updateWorkflow(tx, accountId, workflow.id, check.value, { calendars: await accountCalendars(tx, accountId) }),
      );
      c.logger.info({ workflowId: saved.id, version: saved.version }, 'workflow saved from the console');
      res.redirect(303, `/app/workflows/${saved.id}?notice=saved`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendWorkflowPage(c, req, res, workflow, {
        editor: { source, issues: locateIssues(source, error.issues) },
        status: 400,
      });
    }
  });

  /** Activate / deactivate: a new version equal to the current one but for `status`. */
  router.post('/workflows/:id/status', async (req, res) => {
    const { accountId } = getSession(res);
    const status = formText(req, 'status');
    if (status !== 'active' && status !== 'draft')
      throw new ValidationError([{ path: 'status', message: 'must be active or draft' }]);
    const saved = await c.db.transaction(async (tx) => {
      const workflow = await getWorkflow(tx, accountId, req.params.id);
      if (workflow.status === status) return workflow;
      return updateWorkflow(tx, accountId, workflow.id, {
        ...(workflow.definition as Record<string, unknown>),
        status,
      });
    });
    res.redirect(303, `/app/workflows/${saved.id}?notice=${status === 'active' ? 'activated' : 'deactivated'}`);
  });

  /** Enrols one contact (by email or id), like `POST /workflows/:id/runs {"contactId"}`. */
  router.post('/workflows/:id/runs', async (req, res) => {
    const { accountId } = getSession(res);
    const { workflowId, runId } = await c.db.transaction(async (tx) => {
      const workflow = await getWorkflow(tx, accountId, req.params.id);
      const ref = formText(req, 'contact');
      if (!ref) throw new ValidationError([{ path: 'contact', message: "give the contact's email or id" }]);
      const contact = await findContactByRef(tx, accountId, ref);
      if (!contact) throw new NotFoundError('Contact');
      return { workflowId: workflow.id, ...(await requestManualRun(tx, accountId, workflow, contact.id)) };
    });
    res.redirect(303, `/app/workflows/${workflowId}?notice=enrolled&run=${runId}`);
  });

  return router;
}
