import { createContact } from '../../../src/contacts/contact-service';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { apiClient } from './http-helpers';

describe('listing contacts', () => {
  let env: TestEnv;
  let api: ReturnType<typeof apiClient>;
  let apiKey: string;
  const created: string[] = [];
  beforeAll(async () => {
    env = await createTestEnv();
    api = apiClient(env.container);
    const account = await createTestAccount(env.container);
    apiKey = account.apiKey;
    // Batches share a transaction, hence a created_at: the id must break those ties.
    for (let batch = 0; batch < 6; batch += 1) {
      await env.container.db.transaction(async (tx) => {
        for (let i = 0; i < 20; i += 1) {
          const n = batch * 20 + i;
          const contact = await createContact(tx, account.accountId, {
            email: `person${n}@Example.com`,
            tags: n % 3 === 0 ? ['Every-Third'] : [],
          });
          created.push(contact.id);
        }
      });
    }
    const stranger = await createTestAccount(env.container);
    await env.container.db.transaction((tx) =>
      createContact(tx, stranger.accountId, { email: 'stranger@example.com', tags: ['every-third'] }),
    );
  });
  afterAll(async () => env.cleanup());

  async function walk(query: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await api.as(apiKey).get(`/api/v1/contacts?${query}${suffix}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { ids, pages };
  }

  it('pages through all 120 contacts exactly once, oldest first', async () => {
    const { ids, pages } = await walk('limit=50');
    expect(pages).toBe(3);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(new Set(ids)).toEqual(new Set(created));
    const all = await api.as(apiKey).get('/api/v1/contacts?limit=200');
    const times = all.body.items.map((c: { createdAt: string }) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(ids).toEqual(all.body.items.map((c: { id: string }) => c.id));
  });

  it('defaults to 50 a page and answers the last page with a null cursor', async () => {
    const first = await api.as(apiKey).get('/api/v1/contacts');
    expect(first.body.items).toHaveLength(50);
    expect(typeof first.body.nextCursor).toBe('string');
    const all = await api.as(apiKey).get('/api/v1/contacts?limit=200');
    expect(all.body.items).toHaveLength(120);
    expect(all.body.nextCursor).toBeNull();
  });

  it('filters by tag, normalised, across pages', async () => {
    const { ids } = await walk('tag=%20EVERY-third&limit=7');
    expect(ids).toHaveLength(40);
    expect(ids.every((id) => created.indexOf(id) % 3 === 0)).toBe(true);
  });

  it('filters by email regardless of case', async () => {
    const res = await api.as(apiKey).get('/api/v1/contacts?email=PERSON7@example.com');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([created[7]]);
    const stranger = await api.as(apiKey).get('/api/v1/contacts?email=stranger@example.com');
    expect(stranger.body).toEqual({ items: [], nextCursor: null });
  });

  it('rejects a tampered cursor with 400 validation_failed', async () => {
    const tampered = Buffer.from(JSON.stringify(['2025-13-45T99:00:00.000000Z', created[0]])).toString('base64url');
    const res = await api.as(apiKey).get(`/api/v1/contacts?cursor=${tampered}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
