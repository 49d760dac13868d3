import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient, outboxFor } from './http-helpers';

describe('POST /api/v1/events', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let accountId: string;
  let apiKey: string;
  let contactId: string;
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    ({ accountId, apiKey } = await createTestAccount(env.container));
    const contact = await api.as(apiKey).post('/api/v1/contacts').send({ email: 'ev@example.com' });
    contactId = contact.body.id;
  });
  afterAll(async () => env.cleanup());

  it('records a custom event in the outbox and answers 202 with its id', async () => {
    const res = await api
      .as(apiKey)
      .post('/api/v1/events')
      .send({ type: 'webinar:attended', contactId, data: { plan: 'pro' } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ eventId: expect.stringMatching(/^\d+$/) });
    const bare = await api.as(apiKey).post('/api/v1/events').send({ type: 'page.viewed', contactId });
    expect(bare.status).toBe(202);
    const rows = (await outboxFor(env.container, contactId)).filter((e) => e.type !== 'contact.created');
    expect(rows.map((e) => [e.id, e.type, e.account_id, e.data])).toEqual([
      [res.body.eventId, 'webinar:attended', accountId, { plan: 'pro' }],
      [bare.body.eventId, 'page.viewed', accountId, {}],
    ]);
  });

  it.each([
    ['a built-in trigger type', { type: 'contact.tag_added' }, 'type'],
    ['another built-in trigger type', { type: 'link.redeemed' }, 'type'],
    ['an internal engine event', { type: 'linkflow.enrol' }, 'type'],
    ['a forged booking event', { type: 'appointment.rescheduled' }, 'type'],
    ['a forged link event', { type: 'Link.anything' }, 'type'],
    ['a type with spaces', { type: 'signed up' }, 'type'],
    ['an empty type', { type: '' }, 'type'],
    ['a type over 100 characters', { type: 'x'.repeat(101) }, 'type'],
    ['data that is not an object', { type: 'ok', data: [1, 2] }, 'data'],
    ['data with a NUL character', { type: 'ok', data: { note: 'a\u0000' } }, 'data.note'],
    ['data nested too deep', { type: 'ok', data: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) }, 'data'],
  ])('answers 400 at its path for %s', async (_what, fields, path) => {
    const res = await api
      .as(apiKey)
      .post('/api/v1/events')
      .send({ contactId, ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('answers 400 without a contact id', async () => {
    const res = await api.as(apiKey).post('/api/v1/events').send({ type: 'ok' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers 404 for an unknown, foreign or malformed contact, recording nothing', async () => {
    const other = await createTestAccount(env.container);
    const foreign = await api.as(other.apiKey).post('/api/v1/contacts').send({ phone: '+33612345678' });
    for (const id of ['22222222-2222-4222-8222-222222222222', foreign.body.id as string, 'nope']) {
      const res = await api.as(apiKey).post('/api/v1/events').send({ type: 'clicked', contactId: id });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const rows: unknown[] = await env.container.db.query("SELECT 1 FROM outbox_events WHERE type = 'clicked'");
    expect(rows).toHaveLength(0);
  });
});
