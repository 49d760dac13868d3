import type { Request } from 'express';
import {
  DEFAULT_NOTIFICATIONS,
  WEEKDAYS,
  type AvailabilityRange,
  type CalendarNotifications,
  type CalendarRecord,
  type Weekday,
} from '../../booking/calendar-schema';
import type { IssueDetail } from '../../lib/errors';
import { formText } from '../views/form-values';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const TEXT_FIELDS = [
  'name',
  'slug',
  'timezone',
  'durationMinutes',
  'bookingWindowDays',
  'minNoticeMinutes',
  'ownerName',
  'ownerEmail',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
/** Ranges per day the form reads back; far above what a weekly schedule needs. */
const MAX_RANGES_PER_DAY = 8;

export interface RangeRow {
  /** The inputs' name prefix: `avail_mon_0`. */
  key: string;
  on: boolean;
  start: string;
  end: string;
  issue?: string;
}

export interface CalendarForm {
  values: Record<TextField, string>;
  days: { day: Weekday; label: string; rows: RangeRow[] }[];
  /** The two checkboxes "Email a confirmation to the contact" and "Email a notice to the calendar's owner". */
  notifications: CalendarNotifications;
  /** The checkbox "Ask for a phone number" (`askPhone`). */
  askPhone: boolean;
  /** Issues by field (`name`, `timezone` …); availability issues sit on their row. */
  fieldIssues: Partial<Record<TextField, string>>;
  otherIssues: IssueDetail[];
}

/** The form of a calendar (or of a new one: weekdays 09:00–17:00, 30 minutes, in `timezone`). */
export function formOfCalendar(calendar: CalendarRecord | null, timezone = 'UTC'): CalendarForm {
  const ranges: AvailabilityRange[] = calendar?.availability ?? [];
  return {
    values: {
      name: calendar?.name ?? '',
      slug: calendar?.slug ?? '',
      timezone: calendar?.timezone ?? timezone,
      durationMinutes: String(calendar?.durationMinutes ?? 30),
      bookingWindowDays: String(calendar?.bookingWindowDays ?? 30),
      minNoticeMinutes: String(calendar?.minNoticeMinutes ?? 0),
      ownerName: calendar?.ownerName ?? '',
      ownerEmail: calendar?.ownerEmail ?? '',
    },
    days: WEEKDAYS.map((day, dayIndex) => {
      const own = ranges.filter((range) => range.day === day);
      const rows = own.length
        ? own.map((range, index) => ({ key: `avail_${day}_${index}`, on: true, start: range.start, end: range.end }))
        : [{ key: `avail_${day}_0`, on: calendar === null && dayIndex < 5, start: '09:00', end: '17:00' }];
      return { day, label: DAY_NAMES[day], rows };
    }),
    notifications: { ...(calendar?.notifications ?? DEFAULT_NOTIFICATIONS) },
    askPhone: calendar?.askPhone ?? false,
    fieldIssues: {},
    otherIssues: [],
  };
}

/** The notification checkboxes' names: an unchecked box is not submitted, so absent means off. */
export const NOTIFICATION_FIELDS = { confirmation: 'notifyConfirmation', ownerNotice: 'notifyOwner' } as const;

/** The form as submitted, to show again (with its issues) or to turn into a calendar input. */
export function formOfRequest(req: Request): CalendarForm {
  const values = Object.fromEntries(TEXT_FIELDS.map((field) => [field, formText(req, field)])) as Record<
    TextField,
    string
  >;
  const days = WEEKDAYS.map((day) => {
    const rows: RangeRow[] = [];
    for (let index = 0; index < MAX_RANGES_PER_DAY; index++) {
      const key = `avail_${day}_${index}`;
      if (!(`${key}_start` in ((req.body ?? {}) as object))) break;
      rows.push({
        key,
        on: formText(req, `${key}_on`) !== '',
        start: formText(req, `${key}_start`),
        end: formText(req, `${key}_end`),
      });
    }
    return { day, label: DAY_NAMES[day], rows };
  });
  const notifications = {
    confirmation: formText(req, NOTIFICATION_FIELDS.confirmation) !== '',
    ownerNotice: formText(req, NOTIFICATION_FIELDS.ownerNotice) !== '',
  };
  // Unchecked, the box is not submitted: absent means off, as for the notifications.
  const askPhone = formText(req, 'askPhone') !== '';
  return { values, days, notifications, askPhone, fieldIssues: {}, otherIssues: [] };
}

const numberOrText = (text: string): number | string => (/^-?\d+$/.test(text) ? Number(text) : text);

/**
 * The calendar input of a form: empty optional fields are left out when creating and cleared
 * (owner) or kept (slug) when editing. Enabled rows become `availability`, in row order.
 */
export function inputOfForm(form: CalendarForm, mode: 'create' | 'update'): Record<string, unknown> {
  const { values } = form;
  const input: Record<string, unknown> = {
    name: values.name,
    timezone: values.timezone,
    durationMinutes: numberOrText(values.durationMinutes),
    bookingWindowDays: numberOrText(values.bookingWindowDays),
    minNoticeMinutes: numberOrText(values.minNoticeMinutes),
    availability: enabledRows(form).map((row) => ({ day: row.day, start: row.start, end: row.end })),
    notifications: { ...form.notifications },
    askPhone: form.askPhone,
  };
  if (values.slug) input.slug = values.slug;
  for (const field of ['ownerName', 'ownerEmail'] as const) {
    if (values[field]) input[field] = values[field];
    else if (mode === 'update') input[field] = null;
  }
  return input;
}

function enabledRows(form: CalendarForm): (RangeRow & { day: Weekday })[] {
  return form.days.flatMap(({ day, rows }) => rows.filter((row) => row.on).map((row) => ({ ...row, day })));
}

/** Puts each validation issue next to its field, or its availability row (`availability[3].end`). */
export function withIssues(form: CalendarForm, issues: readonly IssueDetail[]): CalendarForm {
  const enabled = enabledRows(form);
  const rowIssues = new Map<string, string>();
  const result: CalendarForm = { ...form, fieldIssues: {}, otherIssues: [] };
  for (const issue of issues) {
    const row = /^availability\[(\d+)\]/.exec(issue.path);
    const field = TEXT_FIELDS.find((name) => issue.path === name);
    if (row && enabled[Number(row[1])]) rowIssues.set(enabled[Number(row[1])]!.key, issue.message);
    else if (field) result.fieldIssues[field] = issue.message;
    else result.otherIssues.push(issue);
  }
  result.days = form.days.map((day) => ({
    ...day,
    rows: day.rows.map((row) => ({ ...row, issue: rowIssues.get(row.key) })),
  }));
  return result;
}

/** Every IANA zone this runtime knows, for the time zone select. */
export function timezoneOptions(selected: string): { value: string; selected: boolean }[] {
  const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  if (selected) zones.add(selected);
  return [...zones].sort().map((value) => ({ value, selected: value === selected }));
}
