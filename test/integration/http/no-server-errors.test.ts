import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

/** Hostile or odd inputs: each is a caller error or simply accepted, never a 500. */
describe('answering odd input without a server error', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let apiKey: string;
  let contactId: string;
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    ({ apiKey } = await createTestAccount(env.container));
    contactId = (await api.as(apiKey).post('/api/v1/contacts').send({ email: 'odd@example.com' })).body.id;
  });
  afterAll(async () => env.cleanup());

  const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
  const bodies: [string, 'POST' | 'PATCH', string, string | object][] = [
    ['200,000 nested arrays', 'POST', '/api/v1/contacts', deep],
    ['custom fields nested 200,000 deep', 'POST', '/api/v1/contacts', `{"email":"a@b.co","customFields":${deep}}`],
    [
      'a lone surrogate in a custom field',
      'POST',
      '/api/v1/contacts',
      { email: 'a@b.co', customFields: { note: 'lone \ud800 surrogate' } },
    ],
    ['an empty custom field name', 'POST', '/api/v1/contacts', { email: 'a@b.co', customFields: { '': 1 } }],
    ['a NUL tag', 'POST', '/api/v1/contacts', { email: 'a@b.co', customFields: { n: 1e308 }, tags: ['\u0000'] }],
    [
      'a __proto__ custom field',
      'POST',
      '/api/v1/contacts',
      '{"email":"proto@b.co","customFields":{"__proto__":{"x":1}}}',
    ],
    ['a non-ASCII email', 'POST', '/api/v1/contacts', { email: 'é@exämple.com' }],
    ['a 5,000-character id', 'PATCH', `/api/v1/contacts/${'x'.repeat(5000)}`, {}],
    ['a lone surrogate in event data', 'POST', '/api/v1/events', { type: 'x', contactId: 'c', data: { k: '\ud800' } }],
    [
      'event data 5,000 objects deep',
      'POST',
      '/api/v1/events',
      `{"type":"x","contactId":"c","data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
    ],
    ['a NUL in an account name', 'POST', '/api/v1/accounts', { name: 'x\u0000' }],
    [
      'a NUL in a workflow name',
      'POST',
      '/api/v1/workflows',
      { id: 'nul', name: 'a\u0000', trigger: { type: 'manual' }, steps: [{ id: 'e', type: 'end' }] },
    ],
    [
      'a lone surrogate in a calendar name',
      'POST',
      '/api/v1/calendars',
      { name: '\udc00', timezone: 'UTC', availability: [] },
    ],
    [
      'a NUL in a key of a webhook body',
      'POST',
      '/api/v1/workflows',
      {
        id: 'k',
        name: 'k',
        trigger: { type: 'manual' },
        steps: [{ id: 'w', type: 'webhook', url: 'http://x.test', body: { 'a\u0000': 1 } }],
      },
    ],
  ];

  it('names the path of a string Postgres cannot store', async () => {
    const res = await api
      .as(apiKey)
      .post('/api/v1/workflows')
      .send({ id: 'nul', name: 'ok', trigger: { type: 'manual' }, steps: [{ id: 'e', type: 'end', name: 'x\u0000' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues).toEqual([{ path: 'steps[0].name', message: expect.any(String) }]);
  });

  it.each(bodies)('answers %s without a server error', async (_what, method, url, body) => {
    const client = api.as(apiKey);
    const req = method === 'POST' ? client.post(url) : client.patch(url);
    const res = await (typeof body === 'string'
      ? req.set('Content-Type', 'application/json').send(body)
      : req.send(body));
    expect(res.status).toBeLessThan(500);
  });

  it.each([
    `/api/v1/contacts/${'%00'}`,
    '/api/v1/contacts?email=%00',
    '/api/v1/contacts?tag=%ED%A0%80',
    '/api/v1/contacts?email[a]=1',
    '/api/v1/contacts?cursor=' + 'A'.repeat(150),
  ])('answers GET %s without a server error', async (url) => {
    const res = await api.as(apiKey).get(url);
    expect(res.status).toBeLessThan(500);
  });

  it('answers odd tag deletions with 4xx or 200', async () => {
    for (const tag of ['%00', '%20', 'x'.repeat(300), '%ED%A0%80']) {
      const res = await api.as(apiKey).delete(`/api/v1/contacts/${contactId}/tags/${tag}`);
      expect(res.status).toBeLessThan(500);
    }
  });
});
