import { Router, type Request, type Response } from 'express';
import addressparser from 'nodemailer/lib/addressparser';
import type { Account } from '../../accounts/account-schema';
import { getAccount, updateAccount } from '../../accounts/account-service';
import type { Container } from '../../container';
import { ValidationError, type IssueDetail } from '../../lib/errors';
import { getSession, safeReturnPath } from '../session/session-middleware';
import { formText, queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import { SETTINGS_VIEW } from './settings-views';

const FIELDS = ['name', 'timezone', 'senderName', 'replyTo', 'consoleZone'] as const;
type Field = (typeof FIELDS)[number];
type FormValues = Record<Field, string>;

/** Every zone the runtime knows, for the time zone field's suggestions (typing any other is checked on save). */
let zoneNames: string[] | undefined;
const allZones = (): string[] => (zoneNames ??= ['UTC', ...Intl.supportedValuesOf('timeZone')]);

const valuesOf = (account: Account): FormValues => ({
  name: account.name,
  timezone: account.timezone,
  senderName: account.senderName ?? '',
  replyTo: account.replyTo ?? '',
  consoleZone: account.consoleZone,
});

/** The form as the settings' changes: an empty sender name or reply-to clears it. */
const changesOf = (values: FormValues): Record<string, unknown> => ({
  name: values.name,
  timezone: values.timezone,
  senderName: values.senderName === '' ? null : values.senderName,
  replyTo: values.replyTo === '' ? null : values.replyTo,
  consoleZone: values.consoleZone,
});

/**
 * The account's settings (name, zone, how its emails are signed, where console times are shown),
 * for every session of the account. `?welcome=1` is the first admin sign-in's version of the page
 * (login-routes.ts sends it there); saving goes on to where the sign-in was headed.
 */
export function settingsPages(c: Container): Router {
  const router = Router();
  const fromAddress = addressparser(c.config.MAIL_FROM, { flatten: true })[0]?.address || c.config.MAIL_FROM;

  const show = (
    req: Request,
    res: Response,
    options: { values: FormValues; welcome: boolean; next: string; issues?: IssueDetail[]; status?: number },
  ): void => {
    const issues = options.issues ?? [];
    const fieldIssues: Partial<Record<Field, string>> = {};
    for (const issue of issues) {
      const field = FIELDS.find((name) => name === issue.path);
      if (field) fieldIssues[field] ??= issue.message;
    }
    sendPage(res, {
      title: options.welcome ? 'Welcome' : 'Settings',
      section: 'settings',
      view: SETTINGS_VIEW,
      req,
      status: options.status,
      data: {
        values: options.values,
        welcome: options.welcome,
        next: options.next,
        zones: allZones(),
        fromAddress,
        fieldIssues,
        otherIssues: issues.filter((issue) => !FIELDS.some((name) => name === issue.path)),
      },
    });
  };

  router.get('/settings', async (req, res) => {
    const account = await getAccount(c.db.manager, getSession(res).accountId);
    const next = queryText(req, 'next');
    show(req, res, {
      values: valuesOf(account),
      welcome: queryText(req, 'welcome') === '1',
      next: safeReturnPath(next) ? next : '',
    });
  });

  router.post('/settings', async (req, res) => {
    const session = getSession(res);
    const values = Object.fromEntries(FIELDS.map((field) => [field, formText(req, field)])) as FormValues;
    const welcome = formText(req, 'welcome') === '1';
    const next = formText(req, 'next');
    try {
      await c.db.transaction((tx) => updateAccount(tx, session.accountId, changesOf(values)));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      show(req, res, { values, welcome, next: safeReturnPath(next) ? next : '', issues: error.issues, status: 400 });
      return;
    }
    c.logger.info({ accountId: session.accountId, sessionId: session.id }, 'account settings saved from the console');
    if (welcome && safeReturnPath(next) && !next.startsWith('/app/settings')) res.redirect(303, next);
    else res.redirect(303, welcome ? '/app/workflows?notice=saved' : '/app/settings?notice=saved');
  });

  return router;
}
