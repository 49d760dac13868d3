import { compareNewestFirst, type TimelinePosition } from './contact-timeline-cursor';

/**
 * One line of a contact's timeline, as the page shows it: what happened (a bold title, a link to
 * where it can be seen, a status), when, and detail lines whose times the view formats (`{when}`
 * segments go through the console's `{{time}}`, in the account's zone). Plain data: built by the
 * pure functions of contact-timeline-runs.ts and contact-timeline-records.ts, rendered by
 * contact-timeline-view.ts.
 */
export interface TimelineEntry extends TimelinePosition {
  kind: 'run' | 'step' | 'message' | 'link' | 'appointment';
  /** What happened to it: started, completed, waiting, sent, skipped, minted, opened, booked … */
  event: string;
  /** The dot's colour. */
  tone: 'good' | 'warn' | 'bad' | 'info';
  title: string;
  link?: { href: string; text: string };
  /** A status pill: its class (`status-<status>`) and words. */
  badge?: { status: string; label: string };
  /** A run started by Test in the builder. */
  test?: boolean;
  lines: Segment[][];
  /** Why it went wrong or nowhere, in a sentence. */
  reason?: string;
  /** A message's content, behind a disclosure: the email in a sandboxed frame, an SMS's text. */
  preview?: { messageId: string; channel: 'email' | 'sms'; subject: string | null; body: string | null };
}

/** A piece of a detail line: words, or a time the view formats. */
export type Segment = { text: string } | { when: string };

/**
 * Keys order entries of the same microsecond: the leading digit ranks them (a run's end shows above
 * the step that ended it, a booking above the link use of its transaction, a run's start below
 * everything of its first moment), the rest makes them unique and stable across polls.
 */
export const RANK = { runEnded: 9, appointment: 7, linkUsed: 6, record: 5, runStarted: 1 } as const;

export const entryKey = (rank: number, kind: TimelineEntry['kind'], ...parts: (string | number)[]): string =>
  `${rank}${kind}:${parts.join(':')}`;

/** A cursor time (microseconds) as an ISO time with milliseconds, for `{{time}}` and `<time datetime>`. */
export const isoOf = (at: string): string => `${at.slice(0, 23)}Z`;

/**
 * The entries inside a page's window, newest first, each key once: not older than `since` (what is
 * older was not read), and strictly older than `before` (the previous page's last entry).
 */
export function mergeTimeline(
  entries: readonly TimelineEntry[],
  window: { since: string | null; before: TimelinePosition | null },
): TimelineEntry[] {
  const seen = new Set<string>();
  return entries
    .filter((entry) => window.since === null || entry.at >= window.since)
    .filter((entry) => window.before === null || compareNewestFirst(entry, window.before) > 0)
    .sort(compareNewestFirst)
    .filter((entry) => !seen.has(entry.key) && seen.add(entry.key));
}
