import { Client } from 'pg';
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
 * connection is retried every few seconds.
 */
export function listenForOutbox(databaseUrl: string, log: Logger): OutboxSignal {
  let wake: (() => void) | null = null;
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const next = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    next.on('notification', () => wake?.());
    next.on('error', () => {
      client = null;
      void next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect(), 3000);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
      client = next;
    } catch (error) {
      log.debug(
        { err: error instanceof Error ? error.message : String(error) },
        'outbox listener unavailable, polling only',
      );
      void next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect(), 3000);
    }
  };
  void connect();

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
      closed = true;
      clearTimeout(retry);
      wake?.();
      await client?.end().catch(() => undefined);
    },
  };
}
