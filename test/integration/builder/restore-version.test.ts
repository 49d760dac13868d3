import request from 'supertest';
import { loadTemplates } from '../../../src/messaging/template-store';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { templatesDir } from '../messaging/messaging-helpers';

const HELLO = '---\nsubject: Hello\nlayout: false\n---\n<p>Hello</p>';

describe('restoring a workflow version', () => {
  let env: TestEnv;
  let auth: { Authorization: string };
  let folder: Awaited<ReturnType<typeof templatesDir>>;
  const api = () => request(createApp(env.container));
  const definition = (name: string, steps: Record<string, unknown>[] = [{ id: 'end', type: 'end' }]) => ({
    id: 'restorable',
    name,
    trigger: { type: 'manual' },
    steps,
  });

  beforeAll(async () => {
    folder = await templatesDir({ 'hello.email.hbs': HELLO });
    await loadTemplates(folder.dir);
    env = await createTestEnv();
    auth = { Authorization: `Bearer ${(await createTestAccount(env.container)).apiKey}` };
    await api().post('/api/v1/workflows').set(auth).send(definition('First')).expect(201);
    await api().put('/api/v1/workflows/restorable').set(auth).send(definition('Second')).expect(200);
  });
  afterAll(async () => {
    await env.cleanup();
    await folder.remove();
  });

  it('saves the old definition as a new current version whose source is api', async () => {
    const restored = await api().post('/api/v1/workflows/restorable/versions/1/restore').set(auth).expect(201);
    expect(restored.body).toMatchObject({ version: 3, name: 'First', source: 'api' });
    const [v1, v3] = await Promise.all(
      [1, 3].map(async (v) => (await api().get(`/api/v1/workflows/restorable/versions/${v}`).set(auth)).body),
    );
    expect(v3.definition).toEqual(v1.definition);
    expect(v3).toMatchObject({ version: 3, source: 'api', hash: v1.hash });
    expect((await api().get('/api/v1/workflows/restorable').set(auth).expect(200)).body.version).toBe(3);
  });

  it('answers 404 for a version that does not exist and 400 for one that is not a number', async () => {
    const missing = await api().post('/api/v1/workflows/restorable/versions/99/restore').set(auth).expect(404);
    expect(missing.body.error.code).toBe('not_found');
    const bad = await api().post('/api/v1/workflows/restorable/versions/first/restore').set(auth).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('checks the old definition as any save: a template gone since is a 400, and no version is added', async () => {
    const steps = [{ id: 'send', type: 'send_email', template: 'hello' }];
    await api().put('/api/v1/workflows/restorable').set(auth).send(definition('Hello', steps)).expect(200);
    const { version } = (await api().get('/api/v1/workflows/restorable').set(auth)).body;
    await folder.remove();
    const empty = await templatesDir({});
    await loadTemplates(empty.dir);
    try {
      const refused = await api()
        .post(`/api/v1/workflows/restorable/versions/${version}/restore`)
        .set(auth)
        .expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect((await api().get('/api/v1/workflows/restorable').set(auth)).body.version).toBe(version);
    } finally {
      await empty.remove();
    }
  });
});
