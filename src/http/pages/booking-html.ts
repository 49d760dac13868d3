import type { CalendarRecord } from '../../booking/calendar-schema';
import type { PublicAppointment } from '../../booking/appointment-view';
import type { Slot } from '../../booking/slots';
import { addToCalendarLinks } from '../../booking/add-to-calendar';
import { CANCELLED, CANCEL_FORM, CONFIRMATION, EXPIRED, SLOT_FORM, TOO_MANY } from './booking-templates';
import { formatWhen, slotDays, zoneOptions, type DayPage } from './booking-view';
import { renderPage, renderPageBody } from './layout';

export interface SlotFormModel {
  calendar: CalendarRecord;
  heading: string;
  submitLabel: string;
  /** The form's own path (GET for the zone picker, POST to book). */
  action: string;
  tz: string;
  slots: Slot[];
  page: DayPage;
  /** The contact the link belongs to: shown, not asked. */
  contact?: { name: string; email: string | null } | null;
  /** Ask name and email (scheduling page, link without contact). */
  askName: boolean;
  /** Ask a phone number too (with `askName`, when the calendar has `askPhone`). Default false. */
  askPhone?: boolean;
  values?: { name?: string; email?: string; phone?: string; start?: string };
  error?: string;
  /** Reschedule page: the current time of the appointment. */
  current?: Date;
  /** The end of the booking window: the widget offers no month after it. */
  until: Date;
  /** The widget's heading once booked. Default "You’re booked". */
  doneHeading?: string;
}

const pageHref = (action: string, tz: string, date: string | null): string | null =>
  date === null ? null : `${action}?${new URLSearchParams({ tz, date }).toString()}`;

export function slotFormPage(model: SlotFormModel): string {
  const days = slotDays(model.slots, model.tz, model.values?.start);
  const content = renderPageBody(SLOT_FORM, {
    heading: model.heading,
    submitLabel: model.submitLabel,
    ownerName: model.calendar.ownerName,
    durationMinutes: model.calendar.durationMinutes,
    current: model.current ? { text: formatWhen(model.current, model.tz), iso: model.current.toISOString() } : null,
    error: model.error,
    action: model.action,
    tz: model.tz,
    zones: zoneOptions(model.tz),
    contact: model.contact,
    askName: model.askName,
    askPhone: model.askName && model.askPhone === true,
    values: model.values ?? {},
    days,
    hasSlots: days.length > 0,
    previous: pageHref(model.action, model.tz, model.page.previous),
    next: pageHref(model.action, model.tz, model.page.next),
    until: model.until.toISOString(),
    doneHeading: model.doneHeading ?? 'You’re booked',
  });
  return renderPage({ title: model.heading, content, widget: true });
}

export function confirmationPage(options: {
  heading: string;
  calendar: CalendarRecord;
  appointment: PublicAppointment;
  tz: string;
}): string {
  const { calendar, appointment } = options;
  const links = addToCalendarLinks(appointment, calendar);
  const content = renderPageBody(CONFIRMATION, {
    heading: options.heading,
    when: formatWhen(appointment.start, options.tz),
    calendarName: calendar.name,
    ownerName: calendar.ownerName,
    durationMinutes: calendar.durationMinutes,
    rescheduleUrl: appointment.rescheduleUrl,
    cancelUrl: appointment.cancelUrl,
    icsUrl: links.icsUrl,
    googleCalendarUrl: links.googleCalendarUrl,
  });
  return renderPage({ title: options.heading, content });
}

/** 404 and 410 alike: "This link has expired"; with the calendar's owner when the link is known. */
export function expiredPage(calendar: CalendarRecord | null): string {
  const content = renderPageBody(EXPIRED, {
    contactName: calendar?.ownerName ?? null,
    contactEmail: calendar?.ownerEmail ?? null,
  });
  return renderPage({ title: 'This link has expired', content });
}

export function cancelFormPage(options: {
  calendar: CalendarRecord;
  appointment: PublicAppointment;
  tz: string;
  action: string;
}): string {
  const content = renderPageBody(CANCEL_FORM, {
    when: formatWhen(options.appointment.start, options.tz),
    calendarName: options.calendar.name,
    ownerName: options.calendar.ownerName,
    action: options.action,
    tz: options.tz,
    rescheduleUrl: options.appointment.rescheduleUrl,
  });
  return renderPage({ title: 'Cancel your appointment?', content });
}

export function cancelledPage(options: {
  calendar: CalendarRecord;
  appointment: PublicAppointment;
  tz: string;
}): string {
  const content = renderPageBody(CANCELLED, {
    calendarName: options.calendar.name,
    when: formatWhen(options.appointment.start, options.tz),
  });
  return renderPage({ title: 'Your appointment is cancelled', content });
}

export function tooManyRequestsPage(): string {
  return renderPage({ title: 'Too many requests', content: renderPageBody(TOO_MANY, {}) });
}
