import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from '../console/console-client';

/** Path segments Postgres cannot store once decoded (NUL), or that do not decode at all. */
const HOSTILE_SEGMENTS = ['%00', 'a%00b', '%E0%A4%A', '%ED%A0%80', '%ZZ', '%'];

/** A path parameter that cannot be stored never reaches SQL: a 404 page, or a 400 from the API. */
describe('path parameters that PostgreSQL cannot store', () => {
  let env: TestEnv;
  let app: ReturnType<typeof createApp>;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_RATE_LIMIT: '0' });
    ({ apiKey } = await createTestAccount(env.container));
    app = createApp(env.container);
  });
  afterAll(async () => env.cleanup());

  const publicPages = ['/c/:x', '/book/:x', '/book/reschedule/:x', '/book/cancel/:x', '/u/:x'];
  it.each(publicPages)('answers %s with the 404 page, for GET and POST', async (route) => {
    for (const segment of HOSTILE_SEGMENTS) {
      const path = route.replace(':x', segment);
      for (const res of [
        await request(app).get(path).set('Accept', 'text/html'),
        await request(app).post(path).set('Accept', 'text/html').type('form').send('tz=UTC'),
      ]) {
        expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
          path,
          status: 404,
          type: expect.stringMatching(/^text\/html/),
        });
      }
    }
  });

  const apiRoutes = [
    '/contacts/:x',
    '/workflows/:x',
    '/workflows/:x/versions',
    '/calendars/:x',
    '/runs/:x',
    '/one-time-links/:x',
    '/appointments/:x',
    '/contacts/:x/tags/x',
  ];
  it.each(apiRoutes)('answers /api/v1%s with 400 validation_failed naming the path segment', async (route) => {
    for (const segment of HOSTILE_SEGMENTS) {
      const res = await request(app)
        .get(`/api/v1${route.replace(':x', segment)}`)
        .set('Authorization', `Bearer ${apiKey}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'validation_failed',
        message: expect.any(String),
        issues: [{ path: 'path[1]', message: expect.any(String) }],
      });
    }
  });

  it('answers the console’s pages with its 404 page', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    for (const route of ['/app/workflows/:x', '/app/contacts/:x', '/app/calendars/:x', '/app/runs/:x']) {
      for (const segment of HOSTILE_SEGMENTS) {
        const path = route.replace(':x', segment);
        for (const res of [await agent.get(path), await agent.post(path).type('form').send({ _csrf: csrf })]) {
          expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
            path,
            status: 404,
            type: expect.stringMatching(/^text\/html/),
          });
        }
      }
    }
  });
});
