import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/roles/http-app';
import { canonicalJson } from '../../../src/lib/canonical-json';
import { sha256Hex } from '../../../src/lib/secrets';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { validDefinition } from '../../unit/definition/definitions';

interface Summary {
  version: number;
  createdAt: string;
  source: string | null;
  hash: string;
}

describe("a workflow's versions over the API", () => {
  let env: TestEnv;
  let app: Express;
  let auth: { Authorization: string };
  const definition = (id: string, changes: Record<string, unknown> = {}) => ({ ...validDefinition(), id, ...changes });

  beforeAll(async () => {
    env = await createTestEnv();
    app = createApp(env.container);
    auth = { Authorization: `Bearer ${(await createTestAccount(env.container)).apiKey}` };
    await request(app)
      .post('/api/v1/workflows')
      .set(auth)
      .send(definition('thirty', { name: 'Take 1' }))
      .expect(201);
    for (let n = 2; n <= 30; n++) {
      await request(app)
        .put('/api/v1/workflows/thirty')
        .set(auth)
        .send(definition('thirty', { name: `Take ${n}` }))
        .expect(200);
    }
  });
  afterAll(async () => env.cleanup());

  it('pages through 30 versions newest first, each a summary without its definition', async () => {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=7&cursor=${cursor}` : '?limit=7';
      const page: { items: Summary[]; nextCursor: string | null } = (
        await request(app).get(`/api/v1/workflows/thirty/versions${query}`).set(auth).expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(7);
      for (const item of page.items)
        expect(Object.keys(item).sort()).toEqual(['createdAt', 'hash', 'source', 'version']);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((item) => item.version)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(new Set(seen.map((item) => item.source))).toEqual(new Set(['api']));
  });

  it('hashes the canonical definition: sha256 of its JSON with sorted keys', async () => {
    const page = (await request(app).get('/api/v1/workflows/thirty/versions?limit=1').set(auth).expect(200)).body;
    const reordered = Object.fromEntries(Object.entries(definition('thirty', { name: 'Take 30' })).reverse());
    expect(page.items[0].hash).toBe(sha256Hex(canonicalJson(reordered)));
  });

  it('answers one version with its whole definition, as it was given', async () => {
    const one = (await request(app).get('/api/v1/workflows/thirty/versions/7').set(auth).expect(200)).body;
    expect(one).toMatchObject({
      version: 7,
      source: 'api',
      hash: sha256Hex(canonicalJson(definition('thirty', { name: 'Take 7' }))),
    });
    expect(one.definition).toEqual(definition('thirty', { name: 'Take 7' }));
    expect(typeof one.createdAt).toBe('string');
  });

  it('answers 404 for a version that does not exist, and 400 for one that is not a number', async () => {
    expect((await request(app).get('/api/v1/workflows/thirty/versions/31').set(auth).expect(404)).body.error.code).toBe(
      'not_found',
    );
    for (const bad of ['abc', '1.5', '0', '-1']) {
      const res = await request(app).get(`/api/v1/workflows/thirty/versions/${bad}`).set(auth).expect(400);
      expect(res.body.error.issues[0].path).toBe('version');
    }
    await request(app).get('/api/v1/workflows/missing/versions/1').set(auth).expect(404);
  });

  it("refuses a cursor it did not hand out and another account's workflow", async () => {
    const res = await request(app).get('/api/v1/workflows/thirty/versions?cursor=bm9wZQ').set(auth).expect(400);
    expect(res.body.error.issues[0].path).toBe('cursor');
    const other = { Authorization: `Bearer ${(await createTestAccount(env.container, { name: 'Other' })).apiKey}` };
    await request(app).get('/api/v1/workflows/thirty/versions').set(other).expect(404);
    await request(app).get('/api/v1/workflows/thirty/versions/1').set(other).expect(404);
  });
});
