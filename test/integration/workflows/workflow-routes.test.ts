import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { validDefinition } from '../../unit/definition/definitions';

describe('the workflows API', () => {
  let env: TestEnv;
  let app: Express;
  let auth: { Authorization: string };
  let otherAuth: { Authorization: string };

  beforeAll(async () => {
    env = await createTestEnv();
    app = createApp(env.container);
    auth = { Authorization: `Bearer ${(await createTestAccount(env.container)).apiKey}` };
    otherAuth = { Authorization: `Bearer ${(await createTestAccount(env.container, { name: 'Other' })).apiKey}` };
  });
  afterAll(async () => env.cleanup());

  const definition = (id: string, changes: Record<string, unknown> = {}) => ({ ...validDefinition(), id, ...changes });

  it('creates a workflow at version 1 and shows its definition as given', async () => {
    const body = definition('created');
    const res = await request(app).post('/api/v1/workflows').set(auth).send(body).expect(201);
    expect(res.body).toMatchObject({
      slug: 'created',
      name: 'Nurture',
      status: 'active',
      version: 1,
      trigger: { type: 'contact.tag_added', tag: 'lead' },
      allowReentry: false,
      source: 'api',
      definition: body,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.location).toBe(`/api/v1/workflows/${res.body.id}`);
  });

  it('rejects an invalid definition with every issue at its path', async () => {
    const body = definition('invalid');
    body.steps[2]!.next = 'foo';
    body.steps[3]!.then = 'bar';
    const res = await request(app).post('/api/v1/workflows').set(auth).send(body).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'steps[2].next', message: "'booked' goes next to 'foo', which does not exist" },
        { path: 'steps[3].then', message: "'Yes' of 'check' goes to 'bar', which does not exist" },
      ]),
    );
  });

  it('rejects a template that does not compile, once, at the string inside the step', async () => {
    const body = definition('bad-template');
    body.steps[4]!.body = { name: '{{#if contact.firstName}}' };
    const res = await request(app).post('/api/v1/workflows').set(auth).send(body).expect(400);
    expect(res.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['steps[4].body.name']);
  });

  it('refuses a second workflow with the same slug in one account, but not in another', async () => {
    await request(app).post('/api/v1/workflows').set(auth).send(definition('taken')).expect(201);
    const res = await request(app).post('/api/v1/workflows').set(auth).send(definition('taken')).expect(409);
    expect(res.body.error.code).toBe('conflict');
    await request(app).post('/api/v1/workflows').set(otherAuth).send(definition('taken')).expect(201);
  });

  it('reads a workflow by id or by slug', async () => {
    const created = (await request(app).post('/api/v1/workflows').set(auth).send(definition('readable')).expect(201))
      .body;
    expect((await request(app).get(`/api/v1/workflows/${created.id}`).set(auth).expect(200)).body).toEqual(created);
    expect((await request(app).get('/api/v1/workflows/readable').set(auth).expect(200)).body.id).toBe(created.id);
  });

  it("does not show, nor change, another account's workflow", async () => {
    const created = (await request(app).post('/api/v1/workflows').set(auth).send(definition('private')).expect(201))
      .body;
    const res = await request(app).get(`/api/v1/workflows/${created.id}`).set(otherAuth).expect(404);
    expect(res.body.error.code).toBe('not_found');
    await request(app).get('/api/v1/workflows/private').set(otherAuth).expect(404);
    await request(app).put(`/api/v1/workflows/${created.id}`).set(otherAuth).send(definition('private')).expect(404);
    await request(app).get(`/api/v1/workflows/${created.id}/versions`).set(otherAuth).expect(404);
  });

  it('adds a version on update, which the workflow follows, and lists both versions', async () => {
    const created = (await request(app).post('/api/v1/workflows').set(auth).send(definition('versioned')).expect(201))
      .body;
    const second = definition('versioned', { name: 'Nurture, second take', status: 'draft' });
    const updated = (await request(app).put(`/api/v1/workflows/${created.id}`).set(auth).send(second).expect(200)).body;
    expect(updated).toMatchObject({
      id: created.id,
      version: 2,
      name: 'Nurture, second take',
      status: 'draft',
      definition: second,
    });

    const versions = (await request(app).get('/api/v1/workflows/versioned/versions').set(auth).expect(200)).body;
    expect(versions.nextCursor).toBeNull();
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(typeof versions.items[0].createdAt).toBe('string');
    expect(versions.items[1]).not.toHaveProperty('definition');
    expect(
      (await request(app).get('/api/v1/workflows/versioned/versions/1').set(auth).expect(200)).body.definition,
    ).toEqual(definition('versioned'));
  });

  it("rejects an update that changes the workflow's id, at path id", async () => {
    await request(app).post('/api/v1/workflows').set(auth).send(definition('fixed-id')).expect(201);
    const res = await request(app).put('/api/v1/workflows/fixed-id').set(auth).send(definition('other-id')).expect(400);
    expect(res.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['id']);
    expect((await request(app).get('/api/v1/workflows/fixed-id').set(auth).expect(200)).body.version).toBe(1);
  });

  it('lists workflows a page at a time, filtered by status', async () => {
    const env2 = { Authorization: `Bearer ${(await createTestAccount(env.container, { name: 'Lister' })).apiKey}` };
    for (const id of ['list-c', 'list-a', 'list-b']) {
      await request(app).post('/api/v1/workflows').set(env2).send(definition(id)).expect(201);
    }
    await request(app)
      .post('/api/v1/workflows')
      .set(env2)
      .send(definition('list-d', { status: 'draft' }))
      .expect(201);

    const first = (await request(app).get('/api/v1/workflows?limit=2').set(env2).expect(200)).body;
    expect(first.items.map((w: { slug: string }) => w.slug)).toEqual(['list-a', 'list-b']);
    const rest = (await request(app).get(`/api/v1/workflows?limit=2&cursor=${first.nextCursor}`).set(env2).expect(200))
      .body;
    expect(rest.items.map((w: { slug: string }) => w.slug)).toEqual(['list-c', 'list-d']);
    expect(rest.nextCursor).toBeNull();

    const drafts = (await request(app).get('/api/v1/workflows?status=draft').set(env2).expect(200)).body;
    expect(drafts.items.map((w: { slug: string }) => w.slug)).toEqual(['list-d']);
    const bad = await request(app).get('/api/v1/workflows?status=paused').set(env2).expect(400);
    expect(bad.body.error.issues[0].path).toBe('status');
    // A cursor of NULs re-encodes to itself, but names no slug: refused, not sent to Postgres (a 500).
    const nul = await request(app)
      .get(`/api/v1/workflows?cursor=${'A'.repeat(24)}`)
      .set(env2)
      .expect(400);
    expect(nul.body.error.issues[0].path).toBe('cursor');
  });

  it('keeps concurrent updates apart as consecutive versions', async () => {
    await request(app).post('/api/v1/workflows').set(auth).send(definition('raced')).expect(201);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        request(app)
          .put('/api/v1/workflows/raced')
          .set(auth)
          .send(definition('raced', { name: `Take ${n}` })),
      ),
    );
    expect(results.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((res) => res.body.version).sort()).toEqual([2, 3, 4, 5]);
  });
});
