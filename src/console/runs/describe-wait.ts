import type { WaitState } from '../../engine/wait-state';
import { formatDuration, formatShortDateTime } from '../views/time-format';

/** How a wait's event reads in a sentence: while waiting, once it came, and once it did not. */
interface EventWords {
  awaited: string;
  waitedFor: string;
  came: string;
  missed: string;
}

const EVENT_WORDS: Readonly<Record<string, EventWords>> = {
  'appointment.booked': {
    awaited: 'they book',
    waitedFor: 'them to book',
    came: 'they booked',
    missed: 'they did not book in time',
  },
  'appointment.cancelled': {
    awaited: 'they cancel their appointment',
    waitedFor: 'them to cancel their appointment',
    came: 'they cancelled their appointment',
    missed: 'they did not cancel in time',
  },
  'link.redeemed': {
    awaited: 'they use their booking link',
    waitedFor: 'them to use their booking link',
    came: 'they used their booking link',
    missed: 'they did not use their booking link in time',
  },
  'link.expired': {
    awaited: 'their booking link expires',
    waitedFor: 'their booking link to expire',
    came: 'their booking link expired',
    missed: 'their booking link had not expired by then',
  },
};

const wordsOf = (event: string): EventWords =>
  EVENT_WORDS[event] ?? {
    awaited: `the event “${event}” arrives`,
    waitedFor: `the event “${event}”`,
    came: `the event “${event}” arrived`,
    missed: `the event “${event}” did not arrive in time`,
  };

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export interface DescribeWaitOptions {
  /** The canonical zone times are written in. */
  zone: string;
  /** Whether the step is still waiting (present tense) or done (past tense, with how it ended). */
  waiting: boolean;
  /** How it ended, from the step's output (`resumedBy`); absent while waiting. */
  resumedBy?: 'event' | 'timeout';
  /** The step's configured duration in ms, when the run's workflow version is at hand. */
  durationMs?: number;
  /** The calendar's name for `wait.calendar` (a slug or id); default: the slug or id itself. */
  calendarName?: string;
  /** A step's name for its id (the step's `name`, else the id). Default: the id. */
  stepName?: (stepId: string) => string;
  /** Where the step goes when an exit names no step; null: the run ends. Default null. */
  defaultNext?: string | null;
  /** For "this year or not". Default: now. */
  now?: Date;
}

export interface WaitDescription {
  /** What the step waits for: "Waits until Fri 4 Dec, 21:58 CET, or until they book (Intro call)." */
  plan: string;
  /** Where it goes: "If they book, the run goes on to Confirm; if the time runs out first, it goes on to Nudge." */
  exits: string;
  /** How it ended, once it did: "They booked, so the run went on to Confirm."; null while waiting. */
  outcome: string | null;
}

/** A waiting step's state in sentences, for the run page. Pure: every name and time is given. */
export function describeWait(wait: WaitState, options: DescribeWaitOptions): WaitDescription {
  const name = options.stepName ?? ((id: string) => id);
  const fallback = options.defaultNext ?? null;
  const target = (exit: string | undefined): string | null => exit ?? fallback;
  const goes = (stepId: string | null, past: boolean): string =>
    stepId === null
      ? past
        ? 'the run ended'
        : 'the run ends'
      : `the run ${past ? 'went' : 'goes'} on to ${name(stepId)}`;
  const words = wait.event ? wordsOf(wait.event) : null;
  const calendar = wait.calendar ? ` (${options.calendarName ?? wait.calendar})` : '';
  const when = wait.until ? formatShortDateTime(wait.until, options.zone, options.now) : null;

  const duration = options.durationMs === undefined ? null : formatDuration(options.durationMs);
  const span = when === null ? '' : duration === null ? `until ${when}` : `${duration} (until ${when})`;
  let plan: string;
  if (options.waiting) {
    plan = `Waits ${[span, words && `until ${words.awaited}${calendar}`].filter(Boolean).join(', or ')}.`;
  } else {
    // "Waited up to 2 days (until …) for them to book": the wait may have ended early.
    const upTo = words && duration !== null ? 'up to ' : '';
    plan = `Waited ${[span && upTo + span, words && `for ${words.waitedFor}${calendar}`].filter(Boolean).join(' ')}.`;
  }

  let exits: string;
  if (!words) exits = `Then ${goes(target(wait.onTimeout), !options.waiting)}.`;
  else {
    const onEvent = `If ${options.waiting ? words.awaited : words.came}, ${goes(target(wait.onEvent), !options.waiting)}`;
    const onTimeout =
      when === null ? '' : `; if the time runs out first, ${goes(target(wait.onTimeout), !options.waiting)}`;
    exits = `${onEvent}${onTimeout}.`;
  }
  if (options.waiting || !options.resumedBy) return { plan, exits: options.waiting ? exits : '', outcome: null };

  const next = options.resumedBy === 'event' ? target(wait.onEvent) : target(wait.onTimeout);
  const cause =
    options.resumedBy === 'event' ? (words?.came ?? 'the event arrived') : words ? words.missed : 'the time was up';
  return { plan, exits: '', outcome: `${capitalised(cause)}, so ${goes(next, true)}.` };
}
