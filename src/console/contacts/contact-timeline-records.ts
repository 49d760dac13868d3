import type { TimelineAppointmentRow } from '../../booking/appointment-store';
import type { TimelineLinkRow } from '../../links/link-store';
import type { TimelineMessageRow } from '../../messaging/message-store';
import { entryKey, isoOf, RANK, type Segment, type TimelineEntry } from './contact-timeline-entry';
import { messageReason } from './message-reasons';

const MESSAGE_TONES: Readonly<Record<string, TimelineEntry['tone']>> = {
  sent: 'good',
  not_delivered: 'warn',
  skipped: 'warn',
  failed: 'bad',
};

/** What an appointment's own emails are (messages.kind, `rescheduled_…:<event id>` for each move). */
const PURPOSES: Readonly<Record<string, string>> = {
  confirmation: 'Booking confirmation',
  owner_notice: "Notice to the calendar's owner",
  cancelled_confirmation: 'Cancellation confirmation',
  cancelled_owner_notice: "Cancellation notice to the calendar's owner",
  rescheduled_confirmation: 'New time confirmation',
  rescheduled_owner_notice: "New time notice to the calendar's owner",
};

/** A message: its subject (email) or channel (SMS), its status with the reason when it went nowhere, and its content. */
export function messageEntry(message: TimelineMessageRow): TimelineEntry {
  const purpose = message.kind === null ? undefined : PURPOSES[message.kind.split(':')[0]!];
  const lines: Segment[][] = [];
  if (purpose) lines.push([{ text: purpose }]);
  if (message.to) lines.push([{ text: `To ${message.to}` }]);
  const reason = messageReason(message);
  return {
    kind: 'message',
    key: entryKey(RANK.record, 'message', message.id),
    at: message.at,
    event: message.status,
    tone: MESSAGE_TONES[message.status] ?? 'info',
    title: message.channel === 'email' ? `Email: ${message.subject ?? '(no subject)'}` : 'SMS',
    badge: { status: message.status, label: message.status.replace('_', ' ') },
    lines,
    ...(reason && { reason }),
    ...(message.has_content && {
      preview: { messageId: message.id, channel: message.channel, subject: message.subject, body: message.body },
    }),
  };
}

/** Where a link's entries point: the contact page's own table of links, with Copy and Revoke. */
const LINKS_HREF = '#one-time-links';

const usesText = (link: TimelineLinkRow): string =>
  link.max_uses === 1 ? (link.uses === 0 ? 'Not used' : 'Used') : `Used ${link.uses} of ${link.max_uses} times`;

/**
 * A one-time link's entries: minted (with its status now: a revocation has no time of its own),
 * its booking page first opened, its last use, and its expiry once passed.
 */
export function linkEntries(link: TimelineLinkRow): TimelineEntry[] {
  const common = {
    kind: 'link' as const,
    link: { href: LINKS_HREF, text: link.calendar_name ?? 'a calendar' },
  };
  const key = (rank: number, event: string): string => entryKey(rank, 'link', link.id, event);
  const status = link.expired ? 'expired' : link.status;
  const entries: TimelineEntry[] = [
    {
      ...common,
      key: key(RANK.record, 'minted'),
      at: link.created_at_us,
      event: 'minted',
      tone: 'info',
      title: 'One-time link created',
      badge: { status, label: status },
      lines: [
        [{ text: link.run_id ? 'By a workflow step · ' : 'By hand · ' }, { text: usesText(link) }],
        [{ text: status === 'expired' ? 'Expired ' : 'Expires ' }, { when: isoOf(link.expires_at_us) }],
      ],
    },
  ];
  if (link.first_viewed_at_us !== null)
    entries.push({
      ...common,
      key: key(RANK.record, 'opened'),
      at: link.first_viewed_at_us,
      event: 'opened',
      tone: 'info',
      title: 'Booking page opened',
      lines: [[{ text: 'The first time the one-time link was opened' }]],
    });
  if (link.redeemed_at_us !== null)
    entries.push({
      ...common,
      key: key(RANK.linkUsed, 'used'),
      at: link.redeemed_at_us,
      event: 'used',
      tone: 'good',
      title: 'One-time link used',
      lines: [[{ text: usesText(link) }]],
    });
  if (link.expired)
    entries.push({
      ...common,
      key: key(RANK.record, 'expired'),
      at: link.expires_at_us,
      event: 'expired',
      tone: 'bad',
      title: 'One-time link expired',
      lines: [[{ text: usesText(link) }]],
    });
  return entries;
}

/**
 * An appointment's entries: booked, moved (its last move: the table keeps no earlier one) and
 * cancelled. A moved appointment's booking does not show a time: only its new one is known.
 */
export function appointmentEntries(appointment: TimelineAppointmentRow): TimelineEntry[] {
  const common = {
    kind: 'appointment' as const,
    link: {
      href: `/app/appointments?calendarId=${appointment.calendar_id}`,
      text: appointment.calendar_name ?? 'a calendar',
    },
  };
  const key = (event: string): string => entryKey(RANK.appointment, 'appointment', appointment.id, event);
  const start = new Date(appointment.start_at).toISOString();
  const moved = appointment.status === 'booked' && appointment.updated_at_us > appointment.created_at_us;
  const entries: TimelineEntry[] = [
    {
      ...common,
      key: key('booked'),
      at: appointment.created_at_us,
      event: 'booked',
      tone: 'good',
      title: 'Appointment booked',
      lines: moved ? [] : [[{ text: 'For ' }, { when: start }]],
    },
  ];
  if (moved)
    entries.push({
      ...common,
      key: key('rescheduled'),
      at: appointment.updated_at_us,
      event: 'rescheduled',
      tone: 'info',
      title: 'Appointment moved',
      lines: [[{ text: 'Now ' }, { when: start }]],
    });
  if (appointment.cancelled_at_us !== null)
    entries.push({
      ...common,
      key: key('cancelled'),
      at: appointment.cancelled_at_us,
      event: 'cancelled',
      tone: 'bad',
      title: 'Appointment cancelled',
      lines: [[{ text: 'It was for ' }, { when: start }]],
    });
  return entries;
}
