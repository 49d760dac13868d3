import type { Config } from '../config/env';
import type { Container } from '../container';
import type { Db } from '../db/data-source';
import { createMessaging, type Messaging } from '../messaging/messaging';

/** What actions may reach beyond their step. Wired once by the step worker from the container. */
export interface ActionDeps {
  db: Db;
  config: Config;
  /**
   * Mailer, SMS provider, templates and the shared rate limit (send_email, send_sms). Built by the
   * worker (createActionServices); optional so that contexts built by hand for other actions need none.
   */
  messaging?: Messaging;
}

/** The messaging services, or an error that says they were not wired (a programming error, retried like any). */
export function requireMessaging(deps: ActionDeps): Messaging {
  if (!deps.messaging) throw new Error('messaging services are not wired into this worker (createActionServices)');
  return deps.messaging;
}

/** The part of ActionDeps a worker process builds once (db and config come from the container). */
export type ActionServices = Required<Omit<ActionDeps, 'db' | 'config'>>;

/** Builds the services of every action for one worker process; `close` releases them (the SMTP pool). */
export function createActionServices(c: Container): { services: ActionServices; close(): Promise<void> } {
  const messaging = createMessaging(c);
  return { services: { messaging }, close: () => messaging.close() };
}
