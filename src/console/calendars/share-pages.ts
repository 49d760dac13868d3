import { Router, type Request, type Response } from 'express';
import { getCalendar, listCalendars } from '../../booking/calendar-service';
import type { CalendarRecord } from '../../booking/calendar-schema';
import { embedSnippets } from '../../booking/embed-code';
import type { Container } from '../../container';
import { isUuid } from '../../contacts/contact-store';
import { ensureSharedLink, getLinkRow, mintLink } from '../../links/link-service';
import type { LinkRow } from '../../links/link-store';
import { ValidationError, type IssueDetail } from '../../lib/errors';
import { urlSignerOf } from '../../lib/signed-tokens';
import { describeLinks } from '../links/link-descriptions';
import { getSession } from '../session/session-middleware';
import { formText, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { CALENDAR_LIST_VIEW, SHARE_VIEW } from './calendar-views';
import { contactPickerRoutes } from './contact-picker';
import {
  DEFAULT_FORM_VALUES,
  expiryOptions,
  fieldIssues,
  parseOneTimeLinkForm,
  type OneTimeLinkFormValues,
} from './one-time-link-form';

const TABS = ['scheduling', 'permanent', 'one-time', 'embed'] as const;
type Tab = (typeof TABS)[number];

/**
 * The Share dialog of a calendar: Scheduling Link, Permanent Link, One Time Link, Embed Code.
 *
 * The One Time Link tab shows a link as soon as it opens (as GoHighLevel's does): the calendar's
 * unused shared link, minted on the spot when there is none (ensureSharedLink). That GET writes,
 * deliberately and safely: it only ever keeps one unused shared link per calendar (a second opening,
 * a prefetch, a reload shows the same one), it sits behind the console's sign-in (a mail scanner has
 * no session), and an unused link expires on its own in 7 days. "Generate New Link", a POST, always
 * mints another, with the options form's expiry, uses and contact.
 */
export function sharePages(c: Container): Router {
  const router = Router();
  const urls = urlSignerOf(c.config);
  router.use(contactPickerRoutes(c));

  const oneTimeLinkOf = async (accountId: string, calendar: CalendarRecord, linkId: string): Promise<LinkRow> => {
    if (isUuid(linkId)) {
      const shown = await getLinkRow(c.db.manager, accountId, linkId);
      if (shown.calendar_id === calendar.id) return shown;
    }
    const ensured = await c.db.transaction((tx) =>
      ensureSharedLink(tx, { accountId, calendarId: calendar.id }, urls.secret),
    );
    if (ensured.created)
      c.logger.info({ linkId: ensured.row.id, calendarId: calendar.id }, 'shared one-time link minted');
    return ensured.row;
  };

  const sendShare = async (
    req: Request,
    res: Response,
    options: { tab: Tab; linkId?: string; form?: OneTimeLinkFormValues; issues?: IssueDetail[]; status?: number },
  ): Promise<void> => {
    const { accountId } = getSession(res);
    const calendar = await getCalendar(c.db.manager, accountId, req.params.id as string);
    const { tab } = options;
    const oneTime = tab === 'one-time' ? await oneTimeLinkOf(accountId, calendar, options.linkId ?? '') : null;
    const [described] = oneTime ? await describeLinks(c.db.manager, accountId, [oneTime], urls) : [];
    const scheduling = `${urls.publicUrl}/c/${calendar.slug}`;
    const form = options.form ?? DEFAULT_FORM_VALUES;
    sendPage(res, {
      title: `Share ${calendar.name}`,
      section: 'calendars',
      // The dialog is drawn over the calendar list it was opened from.
      view: CALENDAR_LIST_VIEW + SHARE_VIEW,
      status: options.status,
      req,
      noticeInView: true,
      data: {
        calendars: await listCalendars(c.db.manager, accountId),
        calendar,
        tab,
        links: { scheduling, permanent: `${urls.publicUrl}/c/${calendar.id}` },
        embed: embedSnippets({ schedulingUrl: scheduling, publicUrl: urls.publicUrl, calendarName: calendar.name }),
        oneTime: described,
        form: { ...form, expiryOptions: expiryOptions(form.expiresIn) },
        issues: options.issues ?? [],
        fieldIssues: fieldIssues(options.issues ?? []),
      },
    });
  };

  router.get('/calendars/:id/share', async (req, res) => {
    const tab = TABS.find((candidate) => candidate === queryText(req, 'tab')) ?? 'scheduling';
    await sendShare(req, res, { tab, linkId: queryText(req, 'link') });
  });

  /** "Generate New Link": a fresh link to the calendar with the form's options (default: 7 days, once, anyone). */
  router.post('/calendars/:id/share/one-time-link', async (req, res) => {
    const { accountId } = getSession(res);
    const form: OneTimeLinkFormValues = {
      expiresIn: formText(req, 'expiresIn'),
      maxUses: formText(req, 'maxUses'),
      contact: formText(req, 'contact'),
    };
    try {
      const link = await c.db.transaction(async (tx) => {
        const calendar = await getCalendar(tx, accountId, req.params.id);
        const choice = await parseOneTimeLinkForm(tx, accountId, form);
        return (await mintLink(tx, { accountId, calendarId: calendar.id, ...choice }, urls.secret)).row;
      });
      c.logger.info({ linkId: link.id, calendarId: link.calendar_id }, 'one-time link minted from the console');
      res.redirect(303, `/app/calendars/${link.calendar_id}/share?tab=one-time&link=${link.id}&notice=minted`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendShare(req, res, { tab: 'one-time', form, issues: error.issues, status: 400 });
    }
  });

  return router;
}
