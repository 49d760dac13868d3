import { calendarInputSchema, calendarPatchSchema } from '../../booking/calendar-schema';
import { slotRangeQuerySchema } from '../../booking/slot-service';
import { listLinksQuerySchema } from '../../links/link-service';
import { listQuerySchema as listAppointmentsQuerySchema } from '../routes/appointments';
import { mintBodySchema } from '../routes/calendars';
import type { ApiOperation } from './api-operation';

/** Calendars, appointments and one-time links. */
export const bookingOperations: ApiOperation[] = [
  {
    id: 'createCalendar',
    method: 'post',
    path: '/calendars',
    tag: 'Calendars',
    summary: 'Create a calendar (slugs are unique across all accounts)',
    body: calendarInputSchema,
    errors: [409],
    response: { status: 201, description: 'The calendar' },
  },
  {
    id: 'listCalendars',
    method: 'get',
    path: '/calendars',
    tag: 'Calendars',
    summary: 'List calendars',
    response: { status: 200, description: '`{"items"}`: the calendars' },
  },
  {
    id: 'getCalendar',
    method: 'get',
    path: '/calendars/:id',
    tag: 'Calendars',
    summary: 'Read a calendar',
    response: { status: 200, description: 'The calendar' },
  },
  {
    id: 'updateCalendar',
    method: 'patch',
    path: '/calendars/:id',
    tag: 'Calendars',
    summary: 'Change a calendar (booked appointments stay; `notifications` merges the switches given)',
    body: calendarPatchSchema,
    errors: [409],
    response: { status: 200, description: 'The calendar' },
  },
  {
    id: 'listCalendarSlots',
    method: 'get',
    path: '/calendars/:id/slots',
    tag: 'Calendars',
    summary: 'Free slots between two instants (at most 62 days)',
    query: slotRangeQuerySchema,
    response: { status: 200, description: '`{"items":[{"start","end"}]}`' },
  },
  {
    id: 'mintOneTimeLink',
    method: 'post',
    path: '/calendars/:id/one-time-links',
    tag: 'One-time links',
    summary: 'Mint a one-time booking link by hand',
    body: mintBodySchema,
    response: { status: 201, description: 'The link, with its URL' },
  },
  {
    id: 'shareCalendar',
    method: 'get',
    path: '/calendars/:id/share',
    tag: 'Calendars',
    summary: 'Scheduling link, permanent link, a fresh one-time link and embed code',
    description:
      '`embed` holds the embed code in three forms: `inline` (an iframe), `popup` (a script and a button that opens the page over the site) and `link` (a plain link). `embedCode` is the inline form, kept for existing callers.',
    response: {
      status: 200,
      description:
        '`{"schedulingLink","permanentLink","oneTimeLink","oneTimeLinkId","embed":{"inline","popup","link"},"embedCode"}`',
    },
  },
  {
    id: 'listAppointments',
    method: 'get',
    path: '/appointments',
    tag: 'Appointments',
    summary: 'List appointments, earliest first',
    query: listAppointmentsQuerySchema,
    response: { status: 200, description: 'A page of appointments' },
  },
  {
    id: 'getAppointment',
    method: 'get',
    path: '/appointments/:id',
    tag: 'Appointments',
    summary: 'Read an appointment',
    response: { status: 200, description: 'The appointment' },
  },
  {
    id: 'cancelAppointment',
    method: 'post',
    path: '/appointments/:id/cancel',
    tag: 'Appointments',
    summary: 'Cancel an appointment (frees the slot; idempotent)',
    response: { status: 200, description: 'The appointment' },
  },
  {
    id: 'listOneTimeLinks',
    method: 'get',
    path: '/one-time-links',
    tag: 'One-time links',
    summary: 'List one-time links, newest first',
    query: listLinksQuerySchema,
    response: { status: 200, description: 'A page of links' },
  },
  {
    id: 'getOneTimeLink',
    method: 'get',
    path: '/one-time-links/:id',
    tag: 'One-time links',
    summary: 'Read a link, with its URL',
    response: { status: 200, description: 'The link' },
  },
  {
    id: 'revokeOneTimeLink',
    method: 'delete',
    path: '/one-time-links/:id',
    tag: 'One-time links',
    summary: 'Revoke an active link (others are returned unchanged)',
    response: { status: 200, description: 'The link' },
  },
];
