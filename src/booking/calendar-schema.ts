import { z } from 'zod';
import { storableString, timezoneSchema } from '../accounts/field-schemas';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A calendar's public address: lower-case letters, digits and '-'. A uuid is not a slug (/c/:id is the permanent link). */
export const CALENDAR_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const slugSchema = z
  .string()
  .regex(CALENDAR_SLUG, 'a slug: lower-case letters, digits and -, starting with a letter or digit, at most 64')
  .refine((slug) => !UUID_SHAPE.test(slug), 'a slug must not look like a calendar id');

const clock = (allow2400: boolean) =>
  z
    .string()
    .regex(
      allow2400 ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/,
      `a time of day as HH:mm${allow2400 ? ' (24:00 = midnight at the end of the day)' : ''}`,
    );

/** Minutes since local midnight of "HH:mm" (24:00 → 1440). */
export function clockMinutes(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return hours! * 60 + minutes!;
}

export const availabilityRangeSchema = z
  .strictObject({ day: z.enum(WEEKDAYS), start: clock(false), end: clock(true) })
  .refine((range) => clockMinutes(range.end) > clockMinutes(range.start), {
    message: 'end must be after start',
    path: ['end'],
  });
export type AvailabilityRange = z.infer<typeof availabilityRangeSchema>;

/** Which emails a booking on this calendar sends by itself (src/booking/appointment-notifications.ts). */
export const calendarNotificationsSchema = z
  .strictObject({
    /** A confirmation to the contact on booking, rescheduling and cancelling. Default true. */
    confirmation: z.boolean().meta({
      description: 'Email the contact a confirmation when they book, reschedule or cancel. Default true.',
    }),
    /** A notice to the calendar's owner (ownerEmail) of the same. Default true. */
    ownerNotice: z.boolean().meta({
      description: "Email the calendar's owner (ownerEmail) a notice of the same. Default true.",
    }),
  })
  .meta({ description: 'The emails a booking sends by itself; on by default. A PATCH may switch one alone.' });
export type CalendarNotifications = z.infer<typeof calendarNotificationsSchema>;

export const DEFAULT_NOTIFICATIONS: CalendarNotifications = { confirmation: true, ownerNotice: true };

const calendarFields = {
  name: storableString.trim().min(1, 'must not be empty').max(200),
  slug: slugSchema,
  /** IANA zone the availability is written in. */
  timezone: timezoneSchema,
  /** Length of one slot. Default 30. */
  durationMinutes: z.number().int().min(5).max(720),
  /** Weekly hours, in the calendar's zone. */
  availability: z.array(availabilityRangeSchema).max(100),
  /** How far ahead one may book. Default 30. */
  bookingWindowDays: z.number().int().min(1).max(365),
  /** How soon a slot may start, from now. Default 0. */
  minNoticeMinutes: z.number().int().min(0).max(525_600),
  ownerName: storableString.trim().min(1).max(200).nullable(),
  ownerEmail: z.email('must be a valid email address').max(254).nullable(),
  notifications: calendarNotificationsSchema,
  /** Ask a visitor who books without a known contact for a phone number too (required then). Default false. */
  askPhone: z.boolean().meta({
    description:
      'Ask a visitor who books without a known contact (scheduling page, a one-time link without a contact) for a phone number as well, required then; it is stored on the contact when the contact has none. Default false.',
  }),
};

export const calendarInputSchema = z.strictObject({
  ...calendarFields,
  slug: calendarFields.slug.optional(),
  durationMinutes: calendarFields.durationMinutes.default(30),
  bookingWindowDays: calendarFields.bookingWindowDays.default(30),
  minNoticeMinutes: calendarFields.minNoticeMinutes.default(0),
  ownerName: calendarFields.ownerName.optional(),
  ownerEmail: calendarFields.ownerEmail.optional(),
  /** Either switch may be left out: it stays on. */
  notifications: calendarNotificationsSchema.partial().optional(),
  askPhone: calendarFields.askPhone.default(false),
});
export type CalendarInput = z.input<typeof calendarInputSchema>;

export const calendarPatchSchema = z
  .strictObject({ ...calendarFields, notifications: calendarNotificationsSchema.partial() })
  .partial();
export type CalendarPatch = z.infer<typeof calendarPatchSchema>;

/** A calendar as the API shows it. */
export interface Calendar {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  durationMinutes: number;
  availability: AvailabilityRange[];
  bookingWindowDays: number;
  minNoticeMinutes: number;
  ownerName: string | null;
  ownerEmail: string | null;
  notifications: CalendarNotifications;
  askPhone: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Calendar rows carry their account; the API never shows it. */
export interface CalendarRecord extends Calendar {
  accountId: string;
}
