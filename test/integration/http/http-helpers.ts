import request from 'supertest';
import type { Container } from '../../../src/container';
import { createApp } from '../../../src/roles/http-app';

/** Supertest bound to a fresh app, with `as(key)` adding the bearer header. */
export function apiClient(container: Container) {
  const app = createApp(container);
  const as = (apiKey: string) => {
    const header = { Authorization: `Bearer ${apiKey}` };
    return {
      get: (path: string) => request(app).get(path).set(header),
      post: (path: string) => request(app).post(path).set(header),
      patch: (path: string) => request(app).patch(path).set(header),
      delete: (path: string) => request(app).delete(path).set(header),
    };
  };
  return { app, raw: () => request(app), as };
}

export interface OutboxRow {
  id: string;
  type: string;
  contact_id: string | null;
  account_id: string;
  data: Record<string, unknown>;
}

export async function outboxFor(container: Container, contactId: string): Promise<OutboxRow[]> {
  return container.db.query(
    'SELECT id, type, contact_id, account_id, data FROM outbox_events WHERE contact_id = $1 ORDER BY id',
    [contactId],
  );
}
