import { describeWait } from '../../../src/console/runs/describe-wait';
import type { WaitState } from '../../../src/engine/wait-state';

const NOW = new Date('2026-12-01T08:00:00Z');
const UNTIL = '2026-12-04T20:58:11.789Z';
const names: Record<string, string> = { confirm: 'Send the confirmation', nudge: 'Nudge them' };
const base = { zone: 'Europe/Paris', now: NOW, stepName: (id: string) => names[id] ?? id };

describe('a wait in sentences', () => {
  it('says until when and for what a booking wait waits, and where each exit leads', () => {
    const wait: WaitState = {
      event: 'appointment.booked',
      calendar: 'intro',
      until: UNTIL,
      onEvent: 'confirm',
      onTimeout: 'nudge',
    };
    expect(describeWait(wait, { ...base, waiting: true, calendarName: 'Intro call' })).toEqual({
      plan: 'Waits until Fri 4 Dec, 21:58 CET, or until they book (Intro call).',
      exits:
        'If they book, the run goes on to Send the confirmation; if the time runs out first, the run goes on to Nudge them.',
      outcome: null,
    });
  });

  it('says a duration in words, and where the run goes then', () => {
    const wait: WaitState = { event: null, until: UNTIL };
    const description = describeWait(wait, {
      ...base,
      waiting: true,
      durationMs: 2 * 86_400_000,
      defaultNext: 'nudge',
    });
    expect(description.plan).toBe('Waits 2 days (until Fri 4 Dec, 21:58 CET).');
    expect(description.exits).toBe('Then the run goes on to Nudge them.');
  });

  it('says the run ends when an exit leads nowhere', () => {
    const wait: WaitState = { event: 'quiz.done', until: UNTIL, onEvent: 'confirm' };
    const description = describeWait(wait, { ...base, waiting: true });
    expect(description.plan).toBe('Waits until Fri 4 Dec, 21:58 CET, or until the event “quiz.done” arrives.');
    expect(description.exits).toBe(
      'If the event “quiz.done” arrives, the run goes on to Send the confirmation; if the time runs out first, the run ends.',
    );
  });

  it('tells how a finished wait ended, by the event or by the clock', () => {
    const wait: WaitState = { event: 'appointment.booked', until: UNTIL, onEvent: 'confirm', onTimeout: 'nudge' };
    const booked = describeWait(wait, { ...base, waiting: false, resumedBy: 'event', durationMs: 3 * 86_400_000 });
    expect(booked).toEqual({
      plan: 'Waited up to 3 days (until Fri 4 Dec, 21:58 CET) for them to book.',
      exits: '',
      outcome: 'They booked, so the run went on to Send the confirmation.',
    });
    const missed = describeWait(wait, { ...base, waiting: false, resumedBy: 'timeout' });
    expect(missed.plan).toBe('Waited until Fri 4 Dec, 21:58 CET for them to book.');
    expect(missed.outcome).toBe('They did not book in time, so the run went on to Nudge them.');
    const plain = describeWait({ event: null, until: UNTIL }, { ...base, waiting: false, resumedBy: 'timeout' });
    expect(plain).toEqual({
      plan: 'Waited until Fri 4 Dec, 21:58 CET.',
      exits: '',
      outcome: 'The time was up, so the run ended.',
    });
  });

  it("writes the time in the viewer's zone, with the year when it is not this one", () => {
    const wait: WaitState = { event: null, until: '2027-01-05T09:00:00Z' };
    expect(describeWait(wait, { ...base, zone: 'America/New_York', waiting: true }).plan).toBe(
      'Waits until Tue 5 Jan 2027, 04:00 EST.',
    );
  });

  it('names a calendar by its slug when its name is not known', () => {
    const wait: WaitState = { event: 'link.redeemed', calendar: 'demo', until: null };
    expect(describeWait(wait, { ...base, waiting: true }).plan).toBe('Waits until they use their booking link (demo).');
  });
});
