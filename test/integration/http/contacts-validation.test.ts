import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

const paths = (body: { error: { issues: { path: string }[] } }) => body.error.issues.map((issue) => issue.path);

describe('rejecting bad contact requests', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let apiKey: string;
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    ({ apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => env.cleanup());

  it.each([
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['a phone that is not E.164', { phone: '0612345678' }, 'phone'],
    ['a bad time zone', { email: 'tz@example.com', timezone: 'Europe/Atlantis' }, 'timezone'],
    ['tags that are not strings', { email: 't@example.com', tags: [42] }, 'tags[0]'],
    ['a tag over 100 characters', { email: 't@example.com', tags: ['ok', 'x'.repeat(101)] }, 'tags[1]'],
    [
      'a custom field that is an object',
      { email: 'c@example.com', customFields: { plan: { tier: 1 } } },
      'customFields.plan',
    ],
    ['a NUL character', { email: 'n@example.com', firstName: 'A\u0000B' }, 'firstName'],
    ['an unknown field', { email: 'u@example.com', fristName: 'Typo' }, ''],
  ])('answers 400 validation_failed for %s, at its path', async (_what, body, path) => {
    const res = await api.as(apiKey).post('/api/v1/contacts').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(paths(res.body)).toContain(path);
  });

  it('needs an email or a phone', async () => {
    const res = await api.as(apiKey).post('/api/v1/contacts').send({ firstName: 'Nobody' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const patched = await api.as(apiKey).post('/api/v1/contacts').send({ phone: '+14155550123' });
    expect(patched.status).toBe(201);
    const cleared = await api.as(apiKey).patch(`/api/v1/contacts/${patched.body.id}`).send({ phone: null });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.code).toBe('validation_failed');
  });

  it('answers malformed JSON with 400 validation_failed', async () => {
    const res = await api
      .as(apiKey)
      .post('/api/v1/contacts')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers a body that is not JSON with 400 validation_failed', async () => {
    const text = await api.as(apiKey).post('/api/v1/contacts').set('Content-Type', 'text/plain').send('email=a@b.co');
    const form = await api.as(apiKey).post('/api/v1/contacts').type('form').send({ email: 'a@b.co' });
    const scalar = await api
      .as(apiKey)
      .post('/api/v1/contacts')
      .set('Content-Type', 'application/json')
      .send('"a@b.co"');
    const array = await api
      .as(apiKey)
      .post('/api/v1/contacts')
      .send([{ email: 'a@b.co' }]);
    const empty = await api.as(apiKey).post('/api/v1/contacts');
    for (const res of [text, form, scalar, array, empty]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('answers a 2 MB body with 413', async () => {
    const res = await api
      .as(apiKey)
      .post('/api/v1/contacts')
      .send({ email: 'big@example.com', customFields: { blob: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 404 not_found for unknown, foreign and non-UUID contact ids', async () => {
    const other = await createTestAccount(env.container);
    const foreign = await api.as(other.apiKey).post('/api/v1/contacts').send({ email: 'foreign@example.com' });
    expect(foreign.status).toBe(201);
    const ids = [
      '00000000-0000-4000-8000-000000000000',
      foreign.body.id as string,
      'not-a-uuid',
      "1' OR '1'='1",
      '%E0%A4%A',
    ];
    for (const id of ids) {
      for (const res of [
        await api.as(apiKey).get(`/api/v1/contacts/${id}`),
        await api.as(apiKey).patch(`/api/v1/contacts/${id}`).send({ firstName: 'X' }),
        await api
          .as(apiKey)
          .post(`/api/v1/contacts/${id}/tags`)
          .send({ tags: ['x'] }),
        await api.as(apiKey).delete(`/api/v1/contacts/${id}/tags/x`),
      ]) {
        expect([res.status, res.body.error?.code]).toEqual(
          id === '%E0%A4%A' ? [400, 'validation_failed'] : [404, 'not_found'],
        );
      }
    }
  });

  it('answers bad list queries with 400 at their paths', async () => {
    for (const [query, path] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=bm90IGEgY3Vyc29y', 'cursor'],
      ['cursor=%00%01', 'cursor'],
      ['tag=a&tag=b', 'tag'],
    ]) {
      const res = await api.as(apiKey).get(`/api/v1/contacts?${query}`);
      expect([query, res.status, res.body.error?.code]).toEqual([query, 400, 'validation_failed']);
      expect(paths(res.body)).toContain(path);
    }
  });
});
