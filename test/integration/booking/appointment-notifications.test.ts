import path from 'node:path';
import { bookAppointment, cancelAppointment, rescheduleAppointment } from '../../../src/booking/appointment-service';
import { notifyAppointment, notifyAppointments, runNotifyJob } from '../../../src/booking/appointment-notifications';
import type { NotifierDeps } from '../../../src/booking/notification-sender';
import { toPublicAppointment } from '../../../src/booking/appointment-view';
import type { CalendarRecord } from '../../../src/booking/calendar-schema';
import { createCalendar, updateCalendar } from '../../../src/booking/calendar-service';
import { updateAccount } from '../../../src/accounts/account-service';
import { findOutboxEvents } from '../../../src/events/outbox-store';
import { urlSignerOf } from '../../../src/lib/signed-tokens';
import { RetryAfterError } from '../../../src/lib/step-errors';
import { NO_SMTP_REASON } from '../../../src/messaging/mailer';
import { createMessaging, type Messaging } from '../../../src/messaging/messaging';
import { createMessageWriteBatch } from '../../../src/messaging/message-write-batch';
import type { Job } from 'bullmq';
import { expectMessageRowsBatched, statementsOf } from '../../helpers/statement-watch';
import { loadTemplates } from '../../../src/messaging/template-store';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact } from '../../helpers/engine';
import { startSmtpSink, type ReceivedEmail, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY } from './booking-helpers';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const OWNER = 'olive@example.com';

interface MessageLite {
  id: string;
  kind: string;
  to: string | null;
  status: string;
  error: string | null;
  subject: string | null;
  html: string | null;
  run_id: string | null;
}

describe('the emails a booking sends by itself', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let messaging: Messaging;
  let deps: NotifierDeps;
  let accountId: string;
  let calendar: CalendarRecord;
  let nextSlot = 0;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL: 'https://book.example.test' });
    await loadTemplates(path.join(ROOT, 'templates'));
    ({ accountId } = await createTestAccount(env.container, { name: 'Acme Coaching' }));
    messaging = createMessaging(env.container);
    deps = { db: env.container.db, config: env.config, messaging, logger: env.container.logger };
    calendar = await newCalendar('Discovery call');
  });
  afterEach(() => {
    sink.onMessage = () => undefined;
  });
  afterAll(async () => {
    await messaging.close();
    await sink.close();
    await env.cleanup();
  });

  const newCalendar = (name: string, extra: Record<string, unknown> = {}) =>
    env.container.db.transaction((tx) =>
      createCalendar(tx, accountId, {
        name,
        timezone: 'UTC',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: OWNER,
        ...extra,
      }),
    );

  /** A 30-minute slot a few days ahead, a new one per call (calendars refuse overlaps). */
  const freshSlot = () => {
    const start = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 9) + nextSlot++ * 3_600_000);
    return { start, end: new Date(start.getTime() + 30 * 60_000) };
  };

  const lastEventOf = async (type: string, appointmentId: string): Promise<string> => {
    const rows: { id: string }[] = await env.container.db.query(
      `SELECT id FROM outbox_events WHERE type = $1 AND data->>'appointmentId' = $2 ORDER BY id DESC LIMIT 1`,
      [type, appointmentId],
    );
    return rows[0]!.id;
  };

  async function book(email: string, options: { on?: CalendarRecord; contact?: Record<string, unknown> } = {}) {
    const contact = await addContact(env.container, accountId, { email, firstName: 'Lena', ...options.contact });
    const on = options.on ?? calendar;
    const appointment = await env.container.db.transaction((tx) =>
      bookAppointment(tx, {
        calendar: on,
        contactId: contact.id,
        linkId: null,
        slot: freshSlot(),
        urls: urlSignerOf(env.config),
      }),
    );
    return { contact, appointment, eventId: await lastEventOf('appointment.booked', appointment.id) };
  }

  const notify = (eventId: string, using: NotifierDeps = deps) =>
    notifyAppointment(using, { eventId, isLastAttempt: false });

  const messagesOf = (appointmentId: string): Promise<MessageLite[]> =>
    env.container.db.query(
      `SELECT id, kind, "to", status, error, subject, html, run_id FROM messages WHERE appointment_id = $1 ORDER BY kind`,
      [appointmentId],
    );

  const acceptedTo = (address: string): ReceivedEmail[] => sink.accepted.filter((mail) => mail.to.includes(address));
  const acceptedAbout = (appointmentId: string): ReceivedEmail[] =>
    sink.accepted.filter((mail) => mail.messageId?.includes(`appointment-${appointmentId}.`));

  it('sends one confirmation and one owner notice for a booking, even when five notify jobs race', async () => {
    const { appointment, eventId } = await book('race@example.com');
    // A slow server keeps the first send in flight while the others arrive.
    sink.onMessage = () => new Promise((resolve) => setTimeout(() => resolve(undefined), 300));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => notify(eventId)));
    for (const result of results)
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(RetryAfterError);
    // The losers come back later (as their jobs would) and find both emails sent.
    await notify(eventId);
    await notify(eventId);

    expect(acceptedAbout(appointment.id)).toHaveLength(2);
    expect(acceptedTo('race@example.com')).toHaveLength(1);
    expect(await messagesOf(appointment.id)).toEqual([
      expect.objectContaining({ kind: 'confirmation', to: 'race@example.com', status: 'sent', error: null }),
      expect.objectContaining({ kind: 'owner_notice', to: OWNER, status: 'sent', run_id: null }),
    ]);
  });

  it("confirms in the contact's time zone, with working reschedule and cancel links and an unsubscribe header", async () => {
    const { appointment, eventId } = await book('paris@example.com', { contact: { timezone: 'Europe/Paris' } });
    await notify(eventId);
    const [mail] = acceptedTo('paris@example.com');
    const links = toPublicAppointment(appointment, urlSignerOf(env.config));
    const html = String(mail!.parsed!.html);
    expect(mail!.parsed!.subject).toBe(
      `Confirmed: Discovery call on ${dateIn(appointment.start_at, 'Europe/Paris')} at ${timeIn(appointment.start_at, 'Europe/Paris')}`,
    );
    expect(html).toContain(
      `${timeIn(appointment.start_at, 'Europe/Paris')}–${timeIn(appointment.end_at, 'Europe/Paris')}`,
    );
    expect(html).toContain('(Europe/Paris)');
    expect(html).toContain(`href="${links.rescheduleUrl}"`);
    expect(html).toContain(`href="${links.cancelUrl}"`);
    expect(html).toContain('Acme Coaching');
    expect(mail!.parsed!.text).toContain(links.cancelUrl);
    expect(mail!.raw).toMatch(/^List-Unsubscribe:\s+<https:\/\/book\.example\.test\/u\//m);
    expect(mail!.messageId).toBe(`<appointment-${appointment.id}.confirmation@book.example.test>`);
    // From the account, at the operator's address, as its workflows' emails are.
    expect(mail!.parsed!.from?.value[0]).toEqual({ name: 'Acme Coaching', address: 'no-reply@localhost' });

    const [notice] = acceptedTo(OWNER).filter((m) => m.messageId?.includes(appointment.id));
    // The owner reads the calendar's zone (UTC here), and gets no unsubscribe link of the contact's.
    expect(notice!.parsed!.subject).toBe(
      `New booking: Lena, ${dateIn(appointment.start_at, 'UTC')} at ${timeIn(appointment.start_at, 'UTC')}`,
    );
    expect(notice!.raw).not.toMatch(/^List-Unsubscribe/im);
    // The owner's "Reply" reaches the person who booked.
    expect(notice!.parsed!.replyTo?.value[0]?.address).toBe('paris@example.com');
    expect(String(notice!.parsed!.html)).toContain('paris@example.com');
    expect(String(notice!.parsed!.html)).not.toContain('/u/');
  });

  it('retries a transient SMTP failure without sending anything twice', async () => {
    const { appointment, eventId } = await book('flaky@example.com');
    sink.onMessage = (mail) =>
      mail.to.includes('flaky@example.com') ? { code: 421, message: '4.7.0 Busy' } : undefined;
    await expect(notify(eventId)).rejects.toThrow(/421/);
    expect(await messagesOf(appointment.id)).toEqual([
      expect.objectContaining({ kind: 'confirmation', status: 'sending', error: expect.stringMatching(/^421 /) }),
      expect.objectContaining({ kind: 'owner_notice', status: 'sent' }),
    ]);
    sink.onMessage = () => undefined;
    await notify(eventId); // the job's retry
    await notify(eventId); // a redelivery after that
    const copies = sink.received.filter((mail) => mail.to.includes('flaky@example.com'));
    expect(copies).toHaveLength(2); // the refused one, and the one accepted
    expect(new Set(copies.map((mail) => mail.messageId)).size).toBe(1);
    expect(acceptedAbout(appointment.id)).toHaveLength(2);
    expect((await messagesOf(appointment.id)).map((m) => m.status)).toEqual(['sent', 'sent']);
  });

  it("sends a job's events' emails, reading the events, appointments, contacts, messages, calendar and account once, and retries only what failed", async () => {
    const bookings = await Promise.all(['one', 'two', 'three'].map((name) => book(`batch-${name}@example.com`)));
    const eventIds = bookings.map((booking) => booking.eventId);
    sink.onMessage = (mail) =>
      mail.to.includes('batch-two@example.com') ? { code: 421, message: '4.7.0 Busy' } : undefined;
    const { result, sent } = await statementsOf(() =>
      notifyAppointments(deps, { eventIds: [...eventIds, '999999999'], isLastAttempt: false }).then(
        () => null,
        (error: unknown) => error,
      ),
    );
    // The one refused email fails the job, after the others went out.
    expect(String(result)).toMatch(/421/);
    const reads = (table: string) =>
      sent.filter((sql) => sql.startsWith(`SELECT`) && sql.includes(`FROM ${table} WHERE id`));
    expect(reads('outbox_events')).toHaveLength(1);
    expect(reads('appointments')).toHaveLength(1);
    expect(reads('contacts')).toHaveLength(1);
    // Once at most: an earlier job of this process may have left them parsed (see the next test).
    expect(reads('calendars').length).toBeLessThanOrEqual(1);
    expect(reads('accounts').length).toBeLessThanOrEqual(1); // its row, its sender's too, once for the job
    // The six emails' message rows: read in one statement for the job, none one by one.
    expect(sent.filter((sql) => /^SELECT .* FROM messages WHERE appointment_id = ANY/.test(sql))).toHaveLength(1);
    expect(sent.filter((sql) => /^SELECT .* FROM messages WHERE appointment_id = \$1/.test(sql))).toHaveLength(0);
    const statuses = async (appointmentId: string) => (await messagesOf(appointmentId)).map((m) => m.status);
    expect(await statuses(bookings[0]!.appointment.id)).toEqual(['sent', 'sent']);
    expect(await statuses(bookings[1]!.appointment.id)).toEqual(['sending', 'sent']);
    expect(await statuses(bookings[2]!.appointment.id)).toEqual(['sent', 'sent']);

    // The job's retry sends only the refused one; a job queued before batches (one `eventId`) still runs.
    sink.onMessage = () => undefined;
    const job = { attemptsMade: 1, opts: { attempts: 10 } } as unknown as Job;
    await runNotifyJob(deps, { eventIds }, job);
    await runNotifyJob(deps, { eventId: eventIds[1]! }, job);
    for (const booking of bookings) {
      expect(await statuses(booking.appointment.id)).toEqual(['sent', 'sent']);
      expect(acceptedAbout(booking.appointment.id)).toHaveLength(2);
    }
    expect(sink.received.filter((mail) => mail.to.includes('batch-one@example.com'))).toHaveLength(1);
  });

  it('runs a job that carries its events without reading them, and reads a calendar or an account again only once its row changed', async () => {
    const { accountId: otherAccount } = await createTestAccount(env.container, { name: 'Cached Co' });
    const own = await env.container.db.transaction((tx) =>
      createCalendar(tx, otherAccount, {
        name: 'Cache check',
        timezone: 'UTC',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: OWNER,
      }),
    );
    const bookOwn = async (email: string) => {
      const contact = await addContact(env.container, otherAccount, { email, firstName: 'Cid' });
      const appointment = await env.container.db.transaction((tx) =>
        bookAppointment(tx, {
          calendar: own,
          contactId: contact.id,
          linkId: null,
          slot: freshSlot(),
          urls: urlSignerOf(env.config),
        }),
      );
      const eventId = await lastEventOf('appointment.booked', appointment.id);
      return { appointment, events: await findOutboxEvents(env.container.db.manager, [eventId]) };
    };
    const job = async (email: string) => {
      const { appointment, events } = await bookOwn(email);
      const { sent } = await statementsOf(() => notifyAppointments(deps, { events, isLastAttempt: false }));
      const reads = (table: string) =>
        sent.filter((sql) => sql.startsWith('SELECT') && sql.includes(`FROM ${table} WHERE id`)).length;
      const mails = acceptedAbout(appointment.id);
      return {
        reads: { events: reads('outbox_events'), calendars: reads('calendars'), accounts: reads('accounts') },
        notice: mails.find((mail) => !mail.to.includes(email)),
        confirmation: mails.find((mail) => mail.to.includes(email)),
      };
    };

    // First job of a new calendar and account: both read once; the events came with the job.
    const first = await job('cache-1@example.com');
    expect(first.reads).toEqual({ events: 0, calendars: 1, accounts: 1 });
    expect(first.confirmation!.parsed!.from?.value[0]?.name).toBe('Cached Co');
    // Unchanged rows: neither is read again.
    expect((await job('cache-2@example.com')).reads).toEqual({ events: 0, calendars: 0, accounts: 0 });

    // The calendar's owner changes: the next job reads the calendar and writes to the new owner.
    await env.container.db.transaction((tx) =>
      updateCalendar(tx, otherAccount, own.id, { ownerEmail: 'new-owner@example.com' }),
    );
    const third = await job('cache-3@example.com');
    expect(third.reads).toEqual({ events: 0, calendars: 1, accounts: 0 });
    expect(third.notice!.to).toContain('new-owner@example.com');

    // The account's sender name changes: the next job reads the account and signs with the new name.
    await env.container.db.transaction((tx) => updateAccount(tx, otherAccount, { senderName: 'Cached Desk' }));
    const fourth = await job('cache-4@example.com');
    expect(fourth.reads).toEqual({ events: 0, calendars: 0, accounts: 1 });
    expect(fourth.confirmation!.parsed!.from?.value[0]?.name).toBe('Cached Desk');
  });

  it("writes the message rows of a worker's concurrent emails in batches, each email still sent once, even when jobs race", async () => {
    const batched: NotifierDeps = { ...deps, messageWrites: createMessageWriteBatch(env.container.db) };
    const bookings = await Promise.all(['a', 'b', 'c', 'd'].map((name) => book(`rows-${name}@example.com`)));
    const { sent } = await statementsOf(() =>
      notifyAppointments(batched, { eventIds: bookings.map((booking) => booking.eventId), isLastAttempt: false }),
    );
    // Eight emails: their rows inserted before the sends and settled after them in fewer statements.
    expectMessageRowsBatched(sent, 8);
    for (const booking of bookings) {
      expect(acceptedAbout(booking.appointment.id)).toHaveLength(2);
      expect((await messagesOf(booking.appointment.id)).map((m) => [m.kind, m.status, m.to])).toEqual([
        ['confirmation', 'sent', booking.contact.email],
        ['owner_notice', 'sent', OWNER],
      ]);
    }

    // Three jobs of the same events at once through one process's batches (a row of one owner is
    // never twice in a statement): each email goes out once; the losers come back later.
    const racing = await Promise.all(['e', 'f'].map((name) => book(`rows-${name}@example.com`)));
    const eventIds = racing.map((booking) => booking.eventId);
    sink.onMessage = () => new Promise((resolve) => setTimeout(() => resolve(undefined), 200));
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () => notifyAppointments(batched, { eventIds, isLastAttempt: false })),
    );
    for (const result of results)
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(RetryAfterError);
    await notifyAppointments(batched, { eventIds, isLastAttempt: false });
    for (const booking of racing) {
      expect(acceptedAbout(booking.appointment.id)).toHaveLength(2);
      expect((await messagesOf(booking.appointment.id)).map((m) => m.status)).toEqual(['sent', 'sent']);
    }
  });

  it('sends nothing for a calendar with both emails switched off, and only what is on otherwise', async () => {
    const quiet = await newCalendar('Quiet call', { notifications: { confirmation: false, ownerNotice: false } });
    expect(quiet.notifications).toEqual({ confirmation: false, ownerNotice: false });
    const { appointment, eventId } = await book('quiet@example.com', { on: quiet });
    await notify(eventId);
    expect(await messagesOf(appointment.id)).toEqual([]);
    expect(acceptedAbout(appointment.id)).toHaveLength(0);

    const ownerOnly = await env.container.db.transaction((tx) =>
      updateCalendar(tx, accountId, quiet.id, { notifications: { ownerNotice: true } }),
    );
    expect(ownerOnly.notifications).toEqual({ confirmation: false, ownerNotice: true });
    const second = await book('quiet-2@example.com', { on: ownerOnly });
    await notify(second.eventId);
    expect((await messagesOf(second.appointment.id)).map((m) => [m.kind, m.status])).toEqual([
      ['owner_notice', 'sent'],
    ]);
  });

  it.each([
    ['dnd', { dnd: true }],
    ['unsubscribed', {}],
  ])('skips the contact who has %s, with the reason, and still tells the owner', async (reason, fields) => {
    const { contact, appointment, eventId } = await book(`${reason}@example.com`, { contact: fields });
    if (reason === 'unsubscribed')
      await env.container.db.query('UPDATE contacts SET email_unsubscribed_at = now() WHERE id = $1', [contact.id]);
    await notify(eventId);
    expect(await messagesOf(appointment.id)).toEqual([
      expect.objectContaining({ kind: 'confirmation', status: 'skipped', error: reason, to: null }),
      expect.objectContaining({ kind: 'owner_notice', status: 'sent', to: OWNER }),
    ]);
    expect(acceptedTo(`${reason}@example.com`)).toHaveLength(0);
  });

  it('sends a pair for every reschedule, and one for the cancellation with a link to book again', async () => {
    const { appointment, eventId } = await book('moving@example.com');
    await notify(eventId);
    const moves: string[] = [];
    for (let i = 0; i < 2; i++) {
      const slot = freshSlot();
      await env.container.db.transaction((tx) =>
        rescheduleAppointment(tx, { appointmentId: appointment.id, calendar, slot }),
      );
      const moveId = await lastEventOf('appointment.rescheduled', appointment.id);
      moves.push(moveId);
      await notify(moveId);
      const [mail] = acceptedTo('moving@example.com').slice(-1);
      expect(mail!.parsed!.subject).toBe(
        `New time: Discovery call on ${dateIn(slot.start, 'UTC')} at ${timeIn(slot.start, 'UTC')}`,
      );
    }
    await env.container.db.transaction((tx) => cancelAppointment(tx, { appointmentId: appointment.id, calendar }));
    await notify(await lastEventOf('appointment.cancelled', appointment.id));

    expect((await messagesOf(appointment.id)).map((m) => [m.kind, m.status])).toEqual(
      [
        ['cancelled_confirmation', 'sent'],
        ['cancelled_owner_notice', 'sent'],
        ['confirmation', 'sent'],
        ['owner_notice', 'sent'],
        ...moves.flatMap((id) => [
          [`rescheduled_confirmation:${id}`, 'sent'],
          [`rescheduled_owner_notice:${id}`, 'sent'],
        ]),
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const cancelled = acceptedTo('moving@example.com').slice(-1)[0]!;
    const html = String(cancelled.parsed!.html);
    expect(cancelled.parsed!.subject).toMatch(/^Cancelled: Discovery call on /);
    expect(html).toContain(`href="https://book.example.test/c/${calendar.slug}"`);
    expect(html).not.toContain('/book/cancel/');
    expect(html).not.toContain('/book/reschedule/');
  });

  it('skips, as superseded, the emails of a booking cancelled before its job ran', async () => {
    const { appointment, eventId } = await book('fickle@example.com');
    await env.container.db.transaction((tx) => cancelAppointment(tx, { appointmentId: appointment.id, calendar }));
    await notify(eventId);
    await notify(await lastEventOf('appointment.cancelled', appointment.id));
    expect((await messagesOf(appointment.id)).map((m) => [m.kind, m.status, m.error])).toEqual([
      ['cancelled_confirmation', 'sent', null],
      ['cancelled_owner_notice', 'sent', null],
      ['confirmation', 'skipped', 'superseded'],
      ['owner_notice', 'skipped', 'superseded'],
    ]);
    expect(acceptedTo('fickle@example.com').map((mail) => mail.parsed!.subject)).toEqual([
      expect.stringMatching(/^Cancelled: /),
    ]);
  });

  it('records a plain reason when no SMTP server is configured', async () => {
    const unconfigured = createMessaging({ ...env.container, config: { ...env.config, SMTP_URL: undefined } });
    const { appointment, eventId } = await book('nosmtp@example.com');
    await notify(eventId, { ...deps, messaging: unconfigured });
    expect(await messagesOf(appointment.id)).toEqual([
      expect.objectContaining({ kind: 'confirmation', status: 'not_delivered', error: NO_SMTP_REASON }),
      expect.objectContaining({ kind: 'owner_notice', status: 'not_delivered', error: NO_SMTP_REASON }),
    ]);
    expect(NO_SMTP_REASON).toBe('Not sent: no SMTP server is configured (set SMTP_URL)');
    expect(acceptedAbout(appointment.id)).toHaveLength(0);
  });

  describe('run by the workers', () => {
    let workers: RunningWorkers;
    beforeAll(() => {
      workers = startWorkers(env.container);
    });
    afterAll(async () => {
      await workers.close();
    });

    it('relays the booking events of a transaction to one notify job, which retries a refused email', async () => {
      let refusals = 1;
      sink.onMessage = (mail) =>
        mail.to.includes('relayed@example.com') && refusals-- > 0
          ? { code: 451, message: '4.3.0 Try later' }
          : undefined;
      const { appointment, eventId } = await book('relayed@example.com');
      const bothSent = async () => (await messagesOf(appointment.id)).filter((m) => m.status === 'sent').length === 2;
      await waitFor(bothSent, {
        what: 'both emails sent',
        timeoutMs: 20_000,
      });
      // The messages' rows are written inside the job; BullMQ counts the attempt once the job returns.
      const job = await waitFor(
        async () => {
          const found = await env.container.queues.queue('bookings').getJob(`notify.${eventId}`);
          return found?.finishedOn ? found : undefined;
        },
        { what: 'the notify job completed', timeoutMs: 10_000 },
      );
      expect(job?.name).toBe('appointment.notify');
      // The job carries the events it was cut from, so it reads none of them back.
      expect(job?.data).toEqual({
        events: [expect.objectContaining({ id: eventId, type: 'appointment.booked', account_id: accountId })],
      });
      // The first attempt met the refusal; the second (BullMQ's retry, after its backoff) sent it.
      expect(job?.attemptsMade).toBe(2);
      expect(acceptedAbout(appointment.id)).toHaveLength(2);
      expect(sink.received.filter((mail) => mail.to.includes('relayed@example.com'))).toHaveLength(2);
    });
  });
});

const dateIn = (date: Date, zone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);

const timeIn = (date: Date, zone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    date,
  );
