import { describeTime, notificationContext, notificationZone } from '../../../src/booking/notification-context';
import type { AppointmentRow } from '../../../src/booking/appointment-store';
import type { AccountRow } from '../../../src/accounts/account-store';
import { changeOfEvent, notificationKind, plannedNotifications } from '../../../src/booking/notification-plan';
import { appointmentMessageKeyOf } from '../../../src/messaging/message-id';
import type { Contact } from '../../../src/contacts/contact-schema';
import type { CalendarRecord } from '../../../src/booking/calendar-schema';

describe('which emails an appointment event sends', () => {
  const on = { confirmation: true, ownerNotice: true };

  it('answers only booked, rescheduled and cancelled appointments', () => {
    expect(changeOfEvent('appointment.booked')).toBe('booked');
    expect(changeOfEvent('appointment.rescheduled')).toBe('rescheduled');
    expect(changeOfEvent('appointment.cancelled')).toBe('cancelled');
    expect(changeOfEvent('link.redeemed')).toBeNull();
    expect(changeOfEvent('toString')).toBeNull();
  });

  it('keys a booking and a cancellation once per appointment, and every reschedule by its event', () => {
    expect(notificationKind('booked', 'contact', '7')).toBe('confirmation');
    expect(notificationKind('booked', 'owner', '7')).toBe('owner_notice');
    expect(notificationKind('cancelled', 'contact', '9')).toBe('cancelled_confirmation');
    expect(notificationKind('cancelled', 'owner', '9')).toBe('cancelled_owner_notice');
    expect(notificationKind('rescheduled', 'contact', '8')).toBe('rescheduled_confirmation:8');
    expect(notificationKind('rescheduled', 'owner', '8')).toBe('rescheduled_owner_notice:8');
  });

  it("follows the calendar's switches, and has no owner notice without an owner email", () => {
    const plan = (switches = on, ownerEmail: string | null = 'o@example.com') =>
      plannedNotifications({ change: 'booked', eventId: '1', switches, ownerEmail }).map((p) => p.template);
    expect(plan()).toEqual(['appointment-confirmation', 'appointment-owner-booked']);
    expect(plan({ confirmation: false, ownerNotice: true })).toEqual(['appointment-owner-booked']);
    expect(plan({ confirmation: true, ownerNotice: false })).toEqual(['appointment-confirmation']);
    expect(plan(on, null)).toEqual(['appointment-confirmation']);
    expect(plan({ confirmation: false, ownerNotice: false })).toEqual([]);
  });

  it('gives each notification a Message-ID key a mail system accepts, the same on every retry', () => {
    const key = appointmentMessageKeyOf({
      appointmentId: '0b9f3f0e-8a44-4c55-9a7e-2f4c1d7e6a10',
      kind: 'rescheduled_confirmation:42',
      publicUrl: 'https://book.example.test/x',
    });
    expect(key).toBe('appointment-0b9f3f0e-8a44-4c55-9a7e-2f4c1d7e6a10.rescheduled_confirmation.42@book.example.test');
  });
});

describe("an appointment's time in an email", () => {
  it('reads as a date, a time range and the zone, on the wall clock of that zone', () => {
    // 07:30 UTC on the day New York's clocks spring forward: 03:30 there (EDT), 08:30 in Paris (CET).
    const start = new Date('2027-03-14T07:30:00Z');
    const end = new Date('2027-03-14T08:15:00Z');
    expect(describeTime(start, end, 'America/New_York')).toEqual({
      date: 'Sunday, 14 March 2027',
      startTime: '03:30',
      endTime: '04:15',
      time: '03:30–04:15',
      when: 'Sunday, 14 March 2027, 03:30–04:15 (America/New_York)',
    });
    expect(describeTime(start, end, 'Europe/Paris').time).toBe('08:30–09:15');
  });

  it("uses the contact's zone for them, else the calendar's, and the calendar's for its owner", () => {
    const calendar = { timezone: 'Europe/Paris' } as CalendarRecord;
    const withZone = { timezone: 'america/new_york' } as Contact;
    const withoutZone = { timezone: null } as Contact;
    expect(notificationZone('contact', withZone, calendar)).toBe('America/New_York');
    expect(notificationZone('contact', withoutZone, calendar)).toBe('Europe/Paris');
    expect(notificationZone('owner', withZone, calendar)).toBe('Europe/Paris');
  });
});

describe('what a booking email sees of the contact', () => {
  it("has the contact's fields and the spellings marketers bring from other tools, as workflow templates do", () => {
    const contact = {
      id: 'c1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      timezone: null,
      customFields: { plan: 'gold' },
    } as unknown as Contact;
    const appointment = {
      id: '0b9f3f0e-8a44-4c55-9a7e-2f4c1d7e6a10',
      status: 'booked',
      start_at: new Date('2027-03-15T09:00:00Z'),
      end_at: new Date('2027-03-15T09:30:00Z'),
      token_salt: 'salt',
    } as AppointmentRow;
    const calendar = { id: 'k1', name: 'Intro call', slug: 'intro', timezone: 'Europe/Paris' } as CalendarRecord;
    const view = notificationContext({
      change: 'booked',
      audience: 'contact',
      appointment,
      previous: null,
      calendar,
      contact,
      account: { id: 'a1', name: 'Acme' } as AccountRow,
      urls: { publicUrl: 'https://book.example.test', secret: 's'.repeat(32) },
    });
    expect(view.contact).toMatchObject({
      firstName: 'Ada',
      first_name: 'Ada',
      last_name: 'Lovelace',
      full_name: 'Ada Lovelace',
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      custom_fields: { plan: 'gold' },
      customFields: { plan: 'gold' },
    });
    expect(view.appointment).toMatchObject({ time: '10:00–10:30', timezone: 'Europe/Paris' });
  });
});
