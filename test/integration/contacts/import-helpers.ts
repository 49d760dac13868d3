import type { Express } from 'express';
import request from 'supertest';
import { waitFor } from '../../helpers/test-env';

export interface ImportStatusBody {
  id: string;
  status: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  error?: string;
}

/** `POST /api/v1/contacts/import` with the fields first and the CSV last, as a browser's form sends them. */
export function uploadCsv(
  app: Express,
  apiKey: string,
  csv: string | Buffer,
  fields: { tags?: string; mapping?: string } = {},
) {
  let req = request(app).post('/api/v1/contacts/import').set('Authorization', `Bearer ${apiKey}`);
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) req = req.field(name, value);
  return req.attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv), {
    filename: 'contacts.csv',
    contentType: 'text/csv',
  });
}

/** Polls the import until it is completed or failed. */
export async function importFinished(
  app: Express,
  apiKey: string,
  importId: string,
  timeoutMs = 30_000,
): Promise<ImportStatusBody> {
  return waitFor(
    async () => {
      const response = await request(app).get(`/api/v1/imports/${importId}`).set('Authorization', `Bearer ${apiKey}`);
      const body = response.body as ImportStatusBody;
      return body.status === 'completed' || body.status === 'failed' ? body : null;
    },
    { timeoutMs, what: `import ${importId} finished` },
  );
}
