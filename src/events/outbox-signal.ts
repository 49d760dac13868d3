import { listenToChannel } from '../db/pg-listen';
import type { Logger } from '../lib/logger';

/** The channel appendEvent notifies; PostgreSQL delivers a NOTIFY only when its transaction commits. */
export const OUTBOX_CHANNEL = 'linkflow_outbox';

export interface OutboxSignal {
  /** Resolves at the next notification, or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTENs on the outbox channel so the relay wakes the moment an event commits, instead of at its
 * next poll. Best effort: while the listening connection is down the relay simply polls, and the
 * connection is retried every few seconds (src/db/pg-listen.ts).
 */
export function listenForOutbox(databaseUrl: string, log: Logger): OutboxSignal {
  let wake: (() => void) | null = null;
  const listener = listenToChannel(databaseUrl, OUTBOX_CHANNEL, log, { onNotification: () => wake?.() });

  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      }),
    async close() {
      wake?.();
      await listener.close();
    },
  };
}
