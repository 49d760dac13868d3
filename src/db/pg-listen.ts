import { Client } from 'pg';
import type { Logger } from '../lib/logger';

export interface ChannelHandlers {
  /** A NOTIFY on the channel, with its payload ('' when none); PostgreSQL sends it when its transaction commits. */
  onNotification?(payload: string): void;
  /** LISTEN is in place (again): from now on no notification is missed. */
  onListening?(): void;
  /** The listening connection is lost: notifications go unheard until onListening. */
  onLost?(): void;
}

export interface ChannelListener {
  /** Whether LISTEN is in place right now. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/** How long a lost or refused listening connection waits before it is tried again. */
const RECONNECT_MS = 3000;

/**
 * LISTENs on `channel` on a connection of its own (not the pool's), retried every few seconds while
 * PostgreSQL is away. Best effort by design: whoever relies on the notifications must cope with a gap
 * (onLost … onListening), in which any number of them may have been missed.
 */
export function listenToChannel(
  databaseUrl: string,
  channel: string,
  log: Logger,
  handlers: ChannelHandlers,
): ChannelListener {
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const lost = (next: Client) => {
    const wasListening = client === next;
    if (wasListening) client = null;
    void next.end().catch(() => undefined);
    if (wasListening) handlers.onLost?.();
    if (!closed) retry = setTimeout(() => void connect(), RECONNECT_MS);
  };

  const connect = async () => {
    if (closed) return;
    const next = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotification?.(message.payload ?? '');
    });
    next.on('error', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      handlers.onListening?.();
    } catch (error) {
      log.debug({ err: error instanceof Error ? error.message : String(error), channel }, 'listener unavailable');
      lost(next);
    }
  };
  void connect();

  return {
    get listening() {
      return client !== null;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
