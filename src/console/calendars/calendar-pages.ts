import { Router, type Request, type Response } from 'express';
import { findAccountRow } from '../../accounts/account-store';
import { cancelAppointment } from '../../booking/appointment-service';
import { getAppointmentRow } from '../../booking/appointment-store';
import {
  createCalendar,
  getCalendar,
  listCalendars,
  loadCalendar,
  updateCalendar,
} from '../../booking/calendar-service';
import type { CalendarInput, CalendarPatch, CalendarRecord } from '../../booking/calendar-schema';
import type { Container } from '../../container';
import { isUuid } from '../../contacts/contact-store';
import { ValidationError } from '../../lib/errors';
import { getSession } from '../session/session-middleware';
import { queryText } from '../views/form-values';
import { sendPage } from '../views/layout';
import {
  formOfCalendar,
  formOfRequest,
  inputOfForm,
  timezoneOptions,
  withIssues,
  type CalendarForm,
} from './calendar-form';
import { APPOINTMENTS_VIEW, CALENDAR_FORM_VIEW, CALENDAR_LIST_VIEW } from './calendar-views';
import { upcomingAppointments } from './upcoming-appointments';

/** Calendars (list, create, edit with the availability grid) and upcoming appointments. */
export function calendarPages(c: Container): Router {
  const router = Router();

  const sendForm = async (
    req: Request,
    res: Response,
    options: { calendar: CalendarRecord | null; form: CalendarForm; status?: number },
  ): Promise<void> => {
    const { accountId } = getSession(res);
    const { calendar } = options;
    sendPage(res, {
      title: calendar ? calendar.name : 'New calendar',
      section: 'calendars',
      view: CALENDAR_FORM_VIEW,
      status: options.status,
      req,
      data: {
        heading: calendar ? `Calendar: ${calendar.name}` : 'New calendar',
        calendar,
        form: options.form,
        timezones: timezoneOptions(options.form.values.timezone),
        action: calendar ? `/app/calendars/${calendar.id}` : '/app/calendars',
        submitLabel: calendar ? 'Save' : 'Create calendar',
        appointments: calendar ? await upcomingAppointments(c.db.manager, accountId, { calendarId: calendar.id }) : [],
      },
    });
  };

  router.get('/calendars', async (req, res) => {
    const calendars = await listCalendars(c.db.manager, getSession(res).accountId);
    sendPage(res, { title: 'Calendars', section: 'calendars', view: CALENDAR_LIST_VIEW, req, data: { calendars } });
  });

  router.get('/calendars/new', async (req, res) => {
    const account = await findAccountRow(c.db.manager, getSession(res).accountId);
    await sendForm(req, res, { calendar: null, form: formOfCalendar(null, account?.timezone) });
  });

  router.post('/calendars', async (req, res) => {
    const { accountId } = getSession(res);
    const form = formOfRequest(req);
    try {
      const calendar = await c.db.transaction((tx) =>
        createCalendar(tx, accountId, inputOfForm(form, 'create') as CalendarInput),
      );
      res.redirect(303, `/app/calendars/${calendar.id}?notice=created`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendForm(req, res, { calendar: null, form: withIssues(form, error.issues), status: 400 });
    }
  });

  router.get('/calendars/:id', async (req, res) => {
    const calendar = await getCalendar(c.db.manager, getSession(res).accountId, req.params.id);
    await sendForm(req, res, { calendar, form: formOfCalendar(calendar) });
  });

  router.post('/calendars/:id', async (req, res) => {
    const { accountId } = getSession(res);
    const calendar = await getCalendar(c.db.manager, accountId, req.params.id);
    const form = formOfRequest(req);
    try {
      await c.db.transaction((tx) =>
        updateCalendar(tx, accountId, calendar.id, inputOfForm(form, 'update') as CalendarPatch),
      );
      res.redirect(303, `/app/calendars/${calendar.id}?notice=saved`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendForm(req, res, { calendar, form: withIssues(form, error.issues), status: 400 });
    }
  });

  router.get('/appointments', async (req, res) => {
    const { accountId } = getSession(res);
    const calendarId = isUuid(queryText(req, 'calendarId')) ? queryText(req, 'calendarId') : undefined;
    const calendar = calendarId ? await getCalendar(c.db.manager, accountId, calendarId) : null;
    const appointments = await upcomingAppointments(c.db.manager, accountId, { calendarId });
    sendPage(res, {
      title: 'Appointments',
      section: 'appointments',
      view: APPOINTMENTS_VIEW,
      req,
      data: { appointments, calendarName: calendar?.name },
    });
  });

  /** The owner cancels: the slot is free again and `appointment.cancelled` is emitted once. */
  router.post('/appointments/:id/cancel', async (req, res) => {
    const { accountId } = getSession(res);
    const row = await c.db.transaction(async (tx) => {
      const current = await getAppointmentRow(tx, accountId, req.params.id);
      await cancelAppointment(tx, { appointmentId: current.id, calendar: await loadCalendar(tx, current.calendar_id) });
      return current;
    });
    res.redirect(303, `/app/appointments?calendarId=${row.calendar_id}&notice=appointment-cancelled`);
  });

  return router;
}
