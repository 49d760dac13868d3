import type { Config } from '../config/env';
import type { Container } from '../container';
import type { Db } from '../db/data-source';
import { createEgressGuard, type EgressGuard } from '../lib/egress/egress-guard';
import type { EgressPolicyOptions } from '../lib/egress/egress-policy';
import { createMessaging, type Messaging } from '../messaging/messaging';
import { createContactWriteBatch, type ContactWriteBatch } from '../contacts/contact-write-batch';
import { createMessageWriteBatch, type MessageWrites } from '../messaging/message-write-batch';

/** What actions may reach beyond their step. Built once per worker process (src/roles/engine-resources.ts). */
export interface ActionDeps {
  db: Db;
  config: Config;
  /** Mailer, SMS provider, templates and the shared rate limit (send_email, send_sms). */
  messaging: Messaging;
  /**
   * The HTTP client for URLs a workflow author wrote (webhook): refuses internal addresses unless
   * WEBHOOK_ALLOWED_HOSTS / WEBHOOK_ALLOW_PRIVATE_NETWORKS say otherwise.
   */
  egress: EgressGuard;
  /**
   * The process's group commit of contact writes (add_tag, update_contact): many steps' writes in one
   * statement. Absent, each step writes its own statement.
   */
  contactWrites?: ContactWriteBatch;
  /**
   * The process's group commit of message rows (send_email, send_sms): the rows concurrent steps insert
   * before their provider calls in one statement, their outcomes in another. Absent, a statement each.
   */
  messageWrites?: MessageWrites;
}

/** What the operator allows webhooks to call (WEBHOOK_ALLOW_PRIVATE_NETWORKS, WEBHOOK_ALLOWED_HOSTS). */
export const webhookEgressOptions = (config: Config): EgressPolicyOptions => ({
  allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
});

/** The part of ActionDeps a worker process builds once (db and config come from the container). */
export type ActionServices = Omit<ActionDeps, 'db' | 'config'>;

/**
 * Builds the services of every action for one worker process; `close` waits for the contact writes
 * handed over, then releases them (the SMTP pool, webhook connections).
 */
export function createActionServices(c: Container): { services: ActionServices; close(): Promise<void> } {
  const messaging = createMessaging(c);
  const egress = createEgressGuard(webhookEgressOptions(c.config));
  const contactWrites = createContactWriteBatch(c.db);
  const messageWrites = createMessageWriteBatch(c.db);
  return {
    services: { messaging, egress, contactWrites, messageWrites },
    close: async () => {
      await contactWrites.drain();
      await Promise.all([messaging.close(), egress.close()]);
    },
  };
}
