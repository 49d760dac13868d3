import {
  compareNewestFirst,
  cursorTimeMinus,
  decodeTimelineCursor,
  encodeTimelineCursor,
} from '../../../src/console/contacts/contact-timeline-cursor';
import { mergeTimeline, type TimelineEntry } from '../../../src/console/contacts/contact-timeline-entry';
import { appointmentEntries, linkEntries, messageEntry } from '../../../src/console/contacts/contact-timeline-records';
import { runEntries, stepEntries, stepTypeLabel } from '../../../src/console/contacts/contact-timeline-runs';
import { ValidationError } from '../../../src/lib/errors';

const RUN = '11111111-1111-4111-8111-111111111111';
const at = (second: number, micros = 0): string =>
  `2030-01-01T10:00:${String(second).padStart(2, '0')}.000${String(micros).padStart(3, '0')}Z`;

const run = runEntries(
  {
    id: RUN,
    workflow_id: '22222222-2222-4222-8222-222222222222',
    workflow_version: 3,
    status: 'completed',
    error: null,
    is_test: false,
    trigger_type: 'contact.tag_added',
    started_at_us: at(0),
    finished_at_us: at(30),
  },
  'Book a call',
);
const step = (seq: number, overrides: Partial<Parameters<typeof stepEntries>[0]>) =>
  stepEntries(
    {
      run_id: RUN,
      step_id: `s${seq}`,
      type: 'add_tag',
      seq,
      status: 'completed',
      attempts: 1,
      error: null,
      started_at_us: at(seq),
      finished_at_us: at(seq, 500),
      wait: null,
      resumed_by: null,
      resumed_event: null,
      ...overrides,
    },
    { label: `s${seq}`, typeLabel: stepTypeLabel(overrides.type ?? 'add_tag') },
  );
const waited = step(2, {
  type: 'wait',
  started_at_us: at(2),
  finished_at_us: at(30),
  wait: { event: 'appointment.booked', until: '2030-01-04T10:00:00.000Z' },
  resumed_by: 'event',
  resumed_event: 'appointment.booked',
});
const email = messageEntry({
  id: '33333333-3333-4333-8333-333333333333',
  run_id: RUN,
  step_id: 's1',
  appointment_id: null,
  kind: null,
  channel: 'email',
  to: 'ada@example.com',
  subject: 'Book your call',
  body: null,
  status: 'skipped',
  error: 'dnd',
  has_content: false,
  at: at(1, 200),
});
const link = linkEntries({
  id: '44444444-4444-4444-8444-444444444444',
  calendar_id: '55555555-5555-4555-8555-555555555555',
  calendar_name: 'Discovery call',
  status: 'used',
  uses: 1,
  max_uses: 1,
  run_id: RUN,
  created_at_us: at(1, 100),
  first_viewed_at_us: at(10),
  redeemed_at_us: at(20),
  expires_at_us: '2030-01-08T10:00:00.000000Z',
  expired: false,
});
const appointment = appointmentEntries({
  id: '66666666-6666-4666-8666-666666666666',
  calendar_id: '55555555-5555-4555-8555-555555555555',
  calendar_name: 'Discovery call',
  status: 'booked',
  start_at: new Date('2030-01-02T09:00:00Z'),
  end_at: new Date('2030-01-02T09:30:00Z'),
  created_at_us: at(20),
  updated_at_us: at(25),
  cancelled_at_us: null,
});
const all: TimelineEntry[] = [...link, ...appointment, ...step(1, {}), ...waited, ...run, email];
const events = (entries: TimelineEntry[]): string[] => entries.map((entry) => `${entry.kind} ${entry.event}`);

describe('the contact timeline, merged from its five kinds of entries', () => {
  it('puts everything in one list, newest first, ranking entries of the same microsecond', () => {
    expect(events(mergeTimeline(all, { since: null, before: null }))).toEqual([
      // 10:00:30, one transaction: the run's end above the wait that ended it.
      'run completed',
      'step completed',
      'appointment rescheduled',
      // 10:00:20, one transaction: the booking above the link use.
      'appointment booked',
      'link used',
      'link opened',
      'step waiting',
      'step completed',
      'message skipped',
      'link minted',
      'run started',
    ]);
  });

  it('leaves out what is older than the window it read and what the previous page showed', () => {
    const merged = mergeTimeline(all, { since: null, before: null });
    const fifth = merged[4]!;
    const older = mergeTimeline(all, { since: at(1, 100), before: fifth });
    expect(events(older)).toEqual(['link opened', 'step waiting', 'step completed', 'message skipped', 'link minted']);
    expect(mergeTimeline([...all, ...all], { since: null, before: null })).toHaveLength(all.length);
  });

  it('words what happened: a wait with its time and what ends it, the exit it took, a skip with its reason', () => {
    const [start, end] = waited;
    expect(start).toMatchObject({
      title: 'Wait',
      badge: { label: 'waited' },
      lines: [[{ text: 'Waits until ' }, { when: '2030-01-04T10:00:00.000Z' }, { text: ', or until they book' }]],
    });
    expect(end).toMatchObject({ badge: { label: 'wait over' }, lines: [[{ text: 'Went on by “Booked”' }]] });
    expect(email).toMatchObject({
      title: 'Email: Book your call',
      reason: 'Not sent: the contact is on do-not-disturb.',
    });
    expect(run[0]).toMatchObject({ title: 'Run started', link: { href: `/app/runs/${RUN}`, text: 'Book a call' } });
    // A moved appointment's booking shows no time: only the new one is known.
    expect(appointment[0]!.lines).toEqual([]);
    expect(appointment[1]!.lines).toEqual([[{ text: 'Now ' }, { when: '2030-01-02T09:00:00.000Z' }]]);
  });

  it('shows a failed run with its step and a step still being tried with its last error', () => {
    const [, failed] = runEntries(
      {
        id: RUN,
        workflow_id: RUN,
        workflow_version: 1,
        status: 'failed',
        error: "step 'invite' failed: 550 mailbox unavailable",
        is_test: true,
        trigger_type: 'manual',
        started_at_us: at(0),
        finished_at_us: at(5),
      },
      'Mailer',
    );
    expect(failed).toMatchObject({
      title: 'Run failed',
      tone: 'bad',
      test: true,
      lines: [[{ text: 'At step invite' }]],
      reason: 'The mail server refused it: 550 mailbox unavailable.',
    });
    const [trying] = step(4, {
      status: 'running',
      finished_at_us: null,
      attempts: 2,
      error: 'SMTP ETIMEDOUT: timeout',
    });
    expect(trying).toMatchObject({ event: 'running', badge: { label: 'in progress' } });
    expect(trying!.reason).toMatch(/^The mail server could not be reached/);
  });
});

describe('a place in the timeline', () => {
  it('round-trips through a cursor and refuses anything else as a validation error', () => {
    const place = { at: at(3, 7), key: run[0]!.key };
    expect(decodeTimelineCursor(encodeTimelineCursor(place), 'before')).toEqual(place);
    for (const bad of ['garbage', Buffer.from('["x","y"]').toString('base64url'), 'A'.repeat(500)]) {
      expect(() => decodeTimelineCursor(bad, 'after')).toThrow(ValidationError);
    }
  });

  it('orders by time, then key, at microsecond precision', () => {
    expect(compareNewestFirst({ at: at(1, 2), key: '1a' }, { at: at(1, 1), key: '9z' })).toBeLessThan(0);
    expect(compareNewestFirst({ at: at(1), key: '9run' }, { at: at(1), key: '5step' })).toBeLessThan(0);
    expect(cursorTimeMinus(at(30, 123), 5000)).toBe('2030-01-01T10:00:25.000123Z');
  });
});
