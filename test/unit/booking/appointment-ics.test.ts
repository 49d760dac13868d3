import ICAL from 'ical.js';
import { appointmentIcs, googleCalendarUrl, googleInstant } from '../../../src/booking/appointment-ics';
import type { PublicAppointment } from '../../../src/booking/appointment-view';

const appointment: PublicAppointment = {
  id: '0b7c4f1e-5b0a-4c1e-9a47-3f1f8f0c2d11',
  start: '2026-03-09T13:00:00.000Z',
  end: '2026-03-09T13:30:00.000Z',
  status: 'booked',
  rescheduleUrl: 'https://book.example.com/book/reschedule/r3sch3dul3',
  cancelUrl: 'https://book.example.com/book/cancel/c4nc3l',
};
const calendar = { name: 'Discovery call', ownerName: 'Olive Owner' };

/** The one VEVENT of an iCalendar text, read by a real parser. */
function parseEvent(text: string): InstanceType<typeof ICAL.Event> {
  const component = new ICAL.Component(ICAL.parse(text));
  const events = component.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return new ICAL.Event(events[0]!);
}

describe('an appointment as an iCalendar file', () => {
  it('holds one event at the booked time, named after the calendar and its owner, with the links in its notes', () => {
    const event = parseEvent(appointmentIcs({ appointment, calendar }));
    expect(event.startDate.toJSDate().toISOString()).toBe(appointment.start);
    expect(event.endDate.toJSDate().toISOString()).toBe(appointment.end);
    expect(event.summary).toBe('Discovery call with Olive Owner');
    expect(event.description).toBe(
      'Reschedule: https://book.example.com/book/reschedule/r3sch3dul3\nCancel: https://book.example.com/book/cancel/c4nc3l',
    );
    expect(event.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('keeps one UID per appointment, so a moved or cancelled appointment updates the imported event', () => {
    const first = parseEvent(appointmentIcs({ appointment, calendar }));
    const moved = parseEvent(
      appointmentIcs({
        appointment: { ...appointment, start: '2026-03-10T09:00:00.000Z', end: '2026-03-10T09:30:00.000Z' },
        calendar,
        sequence: 120,
      }),
    );
    const cancelled = parseEvent(
      appointmentIcs({ appointment: { ...appointment, status: 'cancelled' }, calendar, sequence: 300 }),
    );
    expect(first.uid).toBe(`appointment-${appointment.id}@linkflow`);
    expect([moved.uid, cancelled.uid]).toEqual([first.uid, first.uid]);
    expect([first.sequence, moved.sequence, cancelled.sequence]).toEqual([0, 120, 300]);
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('names the calendar alone when it has no owner', () => {
    expect(parseEvent(appointmentIcs({ appointment, calendar: { name: 'Demo', ownerName: null } })).summary).toBe(
      'Demo',
    );
  });
});

describe('the Google Calendar link of an appointment', () => {
  it('prefills the title, the UTC times and the notes', () => {
    const url = new URL(googleCalendarUrl({ appointment, calendar }));
    expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      action: 'TEMPLATE',
      text: 'Discovery call with Olive Owner',
      dates: '20260309T130000Z/20260309T133000Z',
      details: `Reschedule: ${appointment.rescheduleUrl}\nCancel: ${appointment.cancelUrl}`,
    });
  });
});

describe("an instant in Google Calendar's form", () => {
  /** What googleInstant computed before it read the digits itself. */
  const byDate = (iso: string): string =>
    new Date(iso)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const outcome = (compute: () => string): string => {
    try {
      return compute();
    } catch (error) {
      return `threw ${(error as Error).name}`;
    }
  };

  it('reads every instant toISOString writes as Date reads it, and odd ones too', () => {
    let state = 9032026;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const instants = Array.from({ length: 5000 }, () =>
      new Date(Date.UTC(0, 0, 1) + Math.floor(random() * (Date.UTC(9999, 11, 31) - Date.UTC(0, 0, 1)))).toISOString(),
    );
    const odd = [
      '2024-02-29T12:00:00.000Z',
      '2026-02-29T12:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-03-09T24:00:00.000Z',
      '2026-03-09T23:60:00.000Z',
      '2026-03-09T23:59:60.000Z',
      '2026-03-09T13:00:00Z',
      '2026-03-09T13:00:00.000+01:00',
      '+012026-03-09T13:00:00.000Z',
      'not a date',
    ];
    for (const iso of [...instants, ...odd])
      expect([iso, outcome(() => googleInstant(iso))]).toEqual([iso, outcome(() => byDate(iso))]);
  });
});
