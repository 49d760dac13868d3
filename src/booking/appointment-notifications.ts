import { DelayedError, type Job } from 'bullmq';
import { accountAtVersion } from '../accounts/account-cache';
import type { AccountRow } from '../accounts/account-store';
import { toAccount } from '../accounts/account-service';
import { findContactRowsByIds, isUuid, toContact } from '../contacts/contact-store';
import type { Contact } from '../contacts/contact-schema';
import { NotFoundError } from '../lib/errors';
import type { Container } from '../container';
import { findOutboxEvents, type OutboxEventRow } from '../events/outbox-store';
import { settleAtMost } from '../lib/batches';
import type { JobPayload } from '../queue/job-catalog';
import { lazyChild, type Logger } from '../lib/logger';
import { urlSignerOf } from '../lib/signed-tokens';
import { NonRetryableError, RetryAfterError } from '../lib/step-errors';
import { createMessaging } from '../messaging/messaging';
import { findAppointmentMessages, type MessageRow } from '../messaging/message-store';
import { createMessageWriteBatch } from '../messaging/message-write-batch';
import { senderOf, type Sender } from '../messaging/sender';
import type { TemplateStore } from '../messaging/template-store';
import { unsubscribeUrl } from '../messaging/unsubscribe-token';
import { findAppointmentsWithCalendarName, type AppointmentRow, type AppointmentToNotify } from './appointment-store';
import { calendarAtVersion } from './calendar-cache';
import type { CalendarRecord } from './calendar-schema';
import { notificationContext, type AppointmentChange } from './notification-context';
import { NOTIFICATION_TEMPLATES, changeOfEvent, plannedNotifications } from './notification-plan';
import { sendNotification, type NotifierDeps } from './notification-sender';

const instantOf = (value: unknown): Date | null => {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
};

/**
 * Whether the event no longer describes the appointment when its job runs: a booking or a move
 * whose appointment was cancelled since, or moved again (its start is not the event's). Such an
 * email would announce a time that no longer holds; the later event's email says what is true.
 * A cancellation is final, so it is never superseded.
 */
export function isSuperseded(change: AppointmentChange, appointment: AppointmentRow, data: Record<string, unknown>) {
  if (change === 'cancelled') return false;
  if (appointment.status === 'cancelled') return true;
  const start = instantOf(data.start);
  return start !== null && start.getTime() !== appointment.start_at.getTime();
}

/** Events of one job notified at once: their statements and SMTP sends overlap. */
const EVENTS_AT_ONCE = 8;

/**
 * The `appointment.notify` job of one relay transaction's `appointment.booked` / `.rescheduled` /
 * `.cancelled` events (read in one statement; a pruned one is skipped): for each, the confirmation
 * to the contact and the notice to the calendar's owner, as the calendar's `notifications` switches
 * say when the job runs. Each email is its own message row, keyed by (appointment, kind) and sent
 * once (notification-sender.ts). A transient failure of one leaves it `sending` and fails the job
 * after all the others were tried, so BullMQ retries it, and the rows stop a second send of those that
 * went out. A rate-limit wait (RetryAfterError) is passed on, for the latest time any of them asked.
 */
export async function notifyAppointments(
  deps: NotifierDeps,
  options: ({ events: OutboxEventRow[] } | { eventIds: string[] }) & { isLastAttempt: boolean },
): Promise<void> {
  const tx = deps.db.manager;
  // The relay's jobs carry their events; a job queued before they did names them, and they are read.
  const events = 'events' in options ? options.events : await findOutboxEvents(tx, options.eventIds);
  // The events' appointments and their contacts in a statement each; a calendar's and an account's
  // rows once per job, however many of its events name them.
  const appointmentIds = events.map(appointmentIdOf).filter((id): id is string => id !== null);
  const appointments = new Map(
    (await findAppointmentsWithCalendarName(tx, appointmentIds)).map((row) => [row.id, row] as const),
  );
  const contactIds = [...new Set([...appointments.values()].map((row) => row.contact_id))];
  const [contactRows, messageRows] = await Promise.all([
    findContactRowsByIds(tx, contactIds),
    findAppointmentMessages(tx, [...appointments.keys()]),
  ]);
  const contacts = new Map(contactRows.map((row) => [row.id, row] as const));
  const messages = new Map(messageRows.map((row) => [`${row.appointment_id} ${row.kind}`, row] as const));
  // A calendar's and an account's rows as parsed before, while the versions the appointments' statement
  // read match (calendar-cache.ts, account-cache.ts): no statement for them unless one changed.
  const rows = [...appointments.values()];
  const calendarVersions = new Map(rows.map((row) => [row.calendar_id, row.calendar_version] as const));
  const accountVersions = new Map(rows.map((row) => [row.account_id, row.account_version] as const));
  const account = memoised((id) => accountAtVersion(tx, id, accountVersions.get(id) ?? null));
  const reads: JobReads = {
    appointment: (accountId, id) => {
      const row = appointments.get(id);
      return row?.account_id === accountId ? row : null;
    },
    contact: (accountId, id) => {
      const row = contacts.get(id);
      if (row?.account_id !== accountId) throw new NotFoundError('Contact');
      return toContact(row);
    },
    message: (appointmentId, kind) => messages.get(`${appointmentId} ${kind}`) ?? null,
    calendar: memoised((id) => calendarAtVersion(tx, id, calendarVersions.get(id) ?? null)),
    account,
    // From the account's row the job reads anyway (gone: getAccount's NotFoundError, as loadSender's).
    sender: async (id) => {
      const row = await account(id);
      if (!row) throw new NotFoundError('Account');
      return senderOf(toAccount(row));
    },
  };
  const results = await settleAtMost(EVENTS_AT_ONCE, events, (event) =>
    notifyOfEvent(deps, event, reads, options.isLastAttempt),
  );
  throwFirstFailure(results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])));
}

/** The appointment an event is about, when it is one the notifications know. */
function appointmentIdOf(event: OutboxEventRow): string | null {
  const id = event.data.appointmentId;
  return changeOfEvent(event.type) && typeof id === 'string' && isUuid(id) ? id : null;
}

/** One event's notifications: what notifyAppointments does for each. */
export async function notifyAppointment(
  deps: NotifierDeps,
  options: { eventId: string; isLastAttempt: boolean },
): Promise<void> {
  await notifyAppointments(deps, { eventIds: [options.eventId], isLastAttempt: options.isLastAttempt });
}

interface JobReads {
  /** The event's appointment, of its account, as read when the job began; null when it is gone. */
  appointment: (accountId: string, appointmentId: string) => AppointmentToNotify | null;
  /** The appointment's contact, as read when the job began. */
  contact: (accountId: string, contactId: string) => Contact;
  /** The message row of (appointment, kind) as read when the job began; null when there was none. */
  message: (appointmentId: string, kind: string) => MessageRow | null;
  calendar: (id: string) => Promise<CalendarRecord>;
  account: (id: string) => Promise<AccountRow | null>;
  sender: (accountId: string) => Promise<Sender>;
}

/** `load` by id, each id loaded once (a failed load is tried again by the next caller). */
function memoised<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (id) => {
    let value = loaded.get(id);
    if (!value) {
      value = load(id);
      loaded.set(id, value);
      value.catch(() => loaded.delete(id));
    }
    return value;
  };
}

/**
 * What failed, as the job must fail: NonRetryableErrors were recorded `failed` on their rows (a 5xx,
 * a template that cannot render) and leave nothing to retry; a transient failure fails the job; else
 * a rate-limit wait delays it until the latest time asked.
 */
function throwFirstFailure(errors: unknown[]): void {
  let retryAt = null as Date | null;
  let failure: unknown = null;
  for (const error of errors) {
    if (error instanceof NonRetryableError) continue;
    if (error instanceof RetryAfterError) retryAt = retryAt && retryAt > error.at ? retryAt : error.at;
    else failure ??= error;
  }
  if (failure) throw failure;
  if (retryAt) throw new RetryAfterError(retryAt, 'a notification waits for the email rate limit');
}

async function notifyOfEvent(
  deps: NotifierDeps,
  event: OutboxEventRow,
  reads: JobReads,
  isLastAttempt: boolean,
): Promise<void> {
  const change = changeOfEvent(event.type);
  const appointmentId = appointmentIdOf(event);
  if (!change || !appointmentId) return;
  // Made only when something is logged through them (lazyChild): most emails log nothing here at info.
  const bindings = { job: 'appointment.notify', eventId: event.id, appointmentId };
  const log = lazyChild(deps.logger, bindings);
  const appointment = reads.appointment(event.account_id, appointmentId);
  if (!appointment) return void log.info('appointment is gone: nothing to notify');
  const calendar = await reads.calendar(appointment.calendar_id);
  const planned = plannedNotifications({
    change,
    eventId: event.id,
    switches: calendar.notifications,
    ownerEmail: calendar.ownerEmail,
  });
  if (planned.length === 0) return;
  const contact = reads.contact(appointment.account_id, appointment.contact_id);
  const [account, sender] = await Promise.all([
    reads.account(appointment.account_id),
    reads.sender(appointment.account_id),
  ]);
  if (!account) throw new Error('the appointment has no account');
  const urls = urlSignerOf(deps.config);
  const previousStart = instantOf(event.data.previousStart);
  const previousEnd = instantOf(event.data.previousEnd);
  const previous =
    change === 'rescheduled' && previousStart && previousEnd ? { start: previousStart, end: previousEnd } : null;
  const superseded = isSuperseded(change, appointment, event.data);

  // One after the other: the contact's confirmation first, as it always went.
  const failures: unknown[] = [];
  for (const notification of planned) {
    await sendNotification(deps, {
      notification,
      key: {
        accountId: appointment.account_id,
        contactId: appointment.contact_id,
        channel: 'email',
        appointmentId: appointment.id,
        kind: notification.kind,
      },
      contact,
      ownerEmail: calendar.ownerEmail,
      superseded,
      context: notificationContext({
        change,
        audience: notification.audience,
        appointment,
        previous,
        calendar,
        contact,
        account,
        urls,
      }),
      unsubscribeUrl:
        notification.audience === 'contact'
          ? unsubscribeUrl({ publicUrl: urls.publicUrl, secret: urls.secret, contactId: contact.id })
          : null,
      isLastAttempt,
      log: lazyChild(deps.logger, { ...bindings, kind: notification.kind }),
      sender,
      existing: reads.message(appointment.id, notification.kind),
    }).catch((error: unknown) => failures.push(error));
  }
  throwFirstFailure(failures);
}

/** Runs the job; "come back later" moves it to delayed without spending an attempt, as for steps. */
export async function runNotifyJob(
  deps: NotifierDeps,
  payload: JobPayload<'appointment.notify'>,
  job: Job,
): Promise<void> {
  try {
    await notifyAppointments(deps, {
      ...('events' in payload
        ? { events: payload.events }
        : { eventIds: 'eventIds' in payload ? payload.eventIds : [payload.eventId] }),
      isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    });
  } catch (error) {
    if (!(error instanceof RetryAfterError)) throw error;
    await job.moveToDelayed(error.at.getTime(), job.token);
    throw new DelayedError();
  }
}

/** Says at start-up which notification templates cannot be used: their emails would be recorded `failed`. */
export function warnAboutNotificationTemplates(templates: TemplateStore, logger: Logger): void {
  for (const byAudience of Object.values(NOTIFICATION_TEMPLATES)) {
    for (const name of Object.values(byAudience)) {
      const issue = templates.issue('email', name);
      if (issue) logger.warn({ template: name, problem: issue }, 'appointment notification template cannot be used');
    }
  }
}

export interface AppointmentNotifier {
  handle(payload: JobPayload<'appointment.notify'>, job: Job): Promise<void>;
  /** Closes its SMTP pool; call after the workers closed. */
  close(): Promise<void>;
}

/** The `appointment.notify` handler of one worker process, with a mailer of its own. */
export function createAppointmentNotifier(c: Container): AppointmentNotifier {
  const messaging = createMessaging(c);
  // The rows of the process's concurrent emails in one statement each before and after the sends.
  const deps: NotifierDeps = {
    db: c.db,
    config: c.config,
    messaging,
    logger: c.logger,
    messageWrites: createMessageWriteBatch(c.db),
  };
  warnAboutNotificationTemplates(messaging.templates(), c.logger);
  return {
    handle: (payload, job) => runNotifyJob(deps, payload, job),
    close: () => messaging.close(),
  };
}
