import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `09:00`, or `09:00:30` when a second matters; `24:00` only as an end (the end of the day). */
const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|24:00)$/;

/** Seconds since midnight of `HH:mm[:ss]`. */
export function secondsOfDay(time: string): number {
  const [hours = 0, minutes = 0, seconds = 0] = time.split(':').map(Number);
  return hours * 3600 + minutes * 60 + seconds;
}

/**
 * When a workflow may send messages, read in the contact's time zone (the account's when the contact
 * has none): `{days: ["mon", …], start: "09:00", end: "18:00"}`. A send step reached outside it waits
 * (durably) until it opens. `days` defaults to every day; `end` is exclusive.
 */
export const sendingWindowSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'at least one day')
      .default([...WEEKDAYS]),
    start: z
      .string()
      .regex(TIME_OF_DAY, 'a time of day like 09:00')
      .refine((time) => time !== '24:00', 'a start before 24:00'),
    end: z.string().regex(TIME_OF_DAY, 'a time of day like 18:00 (24:00 for midnight)'),
  })
  .refine((window) => secondsOfDay(window.start) < secondsOfDay(window.end), {
    message: 'end must be after start (a window does not span midnight)',
    path: ['end'],
  });
export type SendingWindow = z.infer<typeof sendingWindowSchema>;
