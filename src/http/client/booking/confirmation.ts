import type { BookedAnswer, CalendarView } from './api';
import { formatWhen } from './dates';
import { h } from './dom';

/**
 * What the widget shows once booked: the same content and ids as the server's confirmation page
 * (#appointment-time, #reschedule-link, #cancel-link), plus "Add to calendar".
 */
export function confirmationView(options: {
  heading: string;
  answer: BookedAnswer;
  calendar: CalendarView;
  zone: string;
  locale: string;
}): HTMLElement[] {
  const { answer, calendar } = options;
  const heading = h('h1', { tabindex: -1 }, options.heading);
  const calendarLine = `${calendar.name}${calendar.ownerName ? ` with ${calendar.ownerName}` : ''} · ${calendar.durationMinutes} minutes`;
  const parts: (HTMLElement | null)[] = [
    heading,
    h(
      'p',
      {},
      h(
        'strong',
        { id: 'appointment-time' },
        formatWhen(new Date(answer.appointment.start), options.zone, options.locale),
      ),
    ),
    h('p', {}, calendarLine),
    addToCalendar(answer),
    h('p', { class: 'muted' }, 'Keep these links to change your plans:'),
    h(
      'p',
      {},
      h('a', { id: 'reschedule-link', href: answer.appointment.rescheduleUrl }, 'Reschedule'),
      ' · ',
      h('a', { id: 'cancel-link', href: answer.appointment.cancelUrl }, 'Cancel'),
    ),
  ];
  return parts.filter((part): part is HTMLElement => part !== null);
}

function addToCalendar(answer: BookedAnswer): HTMLElement | null {
  if (!answer.icsUrl && !answer.googleCalendarUrl) return null;
  return h(
    'section',
    { class: 'add-to-calendar', 'aria-labelledby': 'add-to-calendar' },
    h('h2', { id: 'add-to-calendar' }, 'Add to calendar'),
    h(
      'p',
      { class: 'calendar-links' },
      answer.icsUrl && h('a', { class: 'button secondary', href: answer.icsUrl, download: '' }, 'Calendar file (.ics)'),
      answer.googleCalendarUrl &&
        h(
          'a',
          { class: 'button secondary', href: answer.googleCalendarUrl, target: '_blank', rel: 'noopener' },
          'Google Calendar',
        ),
    ),
  );
}
