import http from 'node:http';
import request from 'supertest';
import { unsubscribeToken } from '../../../src/messaging/unsubscribe-token';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi, listen, tokenOf } from '../booking/booking-helpers';
import { csrfOf } from '../console/console-client';
import { fuzzRequests, mountedRoutes, type FuzzRequest, type KnownValues, type RouteTemplate } from './fuzz-requests';

/** FUZZ_SEED replays a run; the default keeps `npm test` deterministic. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_309);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);

interface Answer {
  status: number;
  type: string;
  text: string;
  cookies: string[];
}

/** Sends exactly the path given (no URL normalisation, unlike fetch or superagent) over a keep-alive agent. */
function send(
  base: URL,
  agent: http.Agent,
  options: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        agent,
        method: options.method.toUpperCase(),
        path: options.path,
        // Framed by length: Node sends a DELETE body unframed otherwise, and the server reads it as the next request.
        headers:
          options.body === undefined
            ? options.headers
            : { ...options.headers, 'Content-Length': String(Buffer.byteLength(options.body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString(),
            cookies: res.headers['set-cookie'] ?? [],
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What is wrong with an answer, or null: never a 5xx; API errors as `{error: {code, message}}`; pages as HTML. */
function problemOf(fuzz: FuzzRequest, answer: Answer): string | null {
  if (answer.status >= 500) return `server error ${answer.status}`;
  const isJson = answer.type.startsWith('application/json');
  if (answer.status >= 400 && isJson) {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = JSON.parse(answer.text) as typeof body;
    } catch {
      return 'unparsable JSON error';
    }
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string')
      return `error without {error: {code, message}}: ${answer.text.slice(0, 120)}`;
  }
  if (fuzz.area === 'api' && answer.status >= 400 && !isJson) return `API error as ${answer.type}`;
  if (fuzz.area === 'console' && answer.status !== 304 && answer.status >= 400 && !answer.type.startsWith('text/html'))
    return `console error as ${answer.type}`;
  const browser = fuzz.headers.Accept === 'text/html' && !fuzz.headers['Content-Type']?.includes('json');
  if (fuzz.area === 'page' && browser && answer.status >= 400 && !answer.type.startsWith('text/html'))
    return `page error as ${answer.type}`;
  return null;
}

/** A console session, signed in through the form as a browser would: its cookie and CSRF token. */
async function signInToConsole(base: URL, apiKey: string): Promise<{ cookie: string; csrf: string }> {
  const agent = new http.Agent();
  const form = await send(base, agent, { method: 'get', path: '/app/login', headers: {} });
  const cookieOf = (answer: Answer) => answer.cookies.map((cookie) => cookie.split(';')[0]).join('; ');
  const login = await send(base, agent, {
    method: 'post',
    path: '/app/login',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieOf(form) },
    body: new URLSearchParams({ apiKey, _csrf: csrfOf(form.text) }).toString(),
  });
  expect(login.status).toBe(303);
  const cookie = cookieOf(login);
  const page = await send(base, agent, { method: 'get', path: '/app/contacts', headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  return { cookie, csrf: csrfOf(page.text) };
}

describe('fuzzing every route', () => {
  let env: TestEnv;
  let server: Awaited<ReturnType<typeof listen>>;
  let apiKey: string;
  let known: KnownValues;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_RATE_LIMIT: '0' });
    ({ apiKey } = await createTestAccount(env.container));
    server = await listen(env.container);
    const auth = { Authorization: `Bearer ${apiKey}` };
    const api = bookingApi(server.server, apiKey);
    const calendar = await api.createCalendar({ slug: 'fuzz' });
    const link = await api.mintLink(calendar.id);
    const contact = (
      await request(server.server)
        .post('/api/v1/contacts')
        .set(auth)
        .send({ email: 'fuzz@example.com', tags: ['fuzz'] })
        .expect(201)
    ).body;
    const workflow = (
      await request(server.server)
        .post('/api/v1/workflows')
        .set(auth)
        .send({ id: 'fuzz', name: 'Fuzz', trigger: { type: 'manual' }, steps: [{ id: 'end', type: 'end' }] })
        .expect(201)
    ).body;
    const [slot] = await api.slots(calendar.id, {
      from: new Date(Date.now() + 86_400_000).toISOString(),
      to: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    const booked = (
      await request(server.server)
        .post(`/book/${tokenOf(link.url)}`)
        .send({ start: slot!.start, name: 'Fuzz', email: 'f@example.com' })
        .expect(201)
    ).body.appointment;
    known = {
      ids: [calendar.id, contact.id, workflow.id, link.id, booked.id, '1'],
      tokens: [
        tokenOf(link.url),
        tokenOf(booked.rescheduleUrl),
        tokenOf(booked.cancelUrl),
        unsubscribeToken(env.config.LINK_SECRET, contact.id),
      ],
      slugs: ['fuzz', calendar.slug],
    };
    session = await signInToConsole(new URL(server.url), apiKey);
  });
  afterAll(async () => {
    await server.close();
    await env.cleanup();
  });

  it(`answers ${COUNT} seeded odd requests across every route without a server error, each error in its area's shape`, async () => {
    const routes: RouteTemplate[] = [
      ...mountedRoutes(createApp(env.container)),
      // Paths no route claims, and the queues' dashboard (a router the walk cannot see into).
      { method: 'get', path: '/:x', area: 'other' },
      { method: 'post', path: '/api/v1/:x/:y', area: 'api' },
      { method: 'get', path: '/admin/queues', area: 'other' },
      { method: 'get', path: '/admin/queues/api/:x', area: 'other' },
    ];
    expect(routes.map((route) => route.area)).toEqual(expect.arrayContaining(['api', 'page', 'console', 'other']));
    const requests = fuzzRequests(SEED, COUNT, routes, known);
    const base = new URL(server.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const problems: string[] = [];
    // Which areas answered a request successfully: the fuzz got past sign-in and lookups, not only bounced off them.
    const succeeded = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let fuzz = requests[next++]; fuzz; fuzz = requests[next++]) {
          const headers = { ...fuzz.headers };
          if (headers.Authorization === 'Bearer {key}') headers.Authorization = `Bearer ${apiKey}`;
          // Signing out would end the session the other console requests use.
          const signedIn = fuzz.signedIn && !fuzz.path.startsWith('/app/logout');
          if (signedIn) headers.Cookie = session.cookie;
          const body =
            signedIn && fuzz.body !== undefined && headers['Content-Type'] === 'application/x-www-form-urlencoded'
              ? `${fuzz.body}&_csrf=${session.csrf}`
              : fuzz.body;
          const answer = await send(base, agent, { method: fuzz.method, path: fuzz.path, headers, body });
          if (answer.status < 300) succeeded.add(fuzz.area);
          const problem = problemOf(fuzz, answer);
          if (problem)
            problems.push(
              `#${fuzz.index} ${fuzz.method.toUpperCase()} ${fuzz.path.slice(0, 200)} ${JSON.stringify(fuzz.headers)} body=${fuzz.body?.slice(0, 80)}: ${problem}`,
            );
        }
      }),
    );
    agent.destroy();
    expect({ seed: SEED, problems }).toEqual({ seed: SEED, problems: [] });
    expect([...succeeded].sort()).toEqual(['api', 'console', 'other', 'page']);
  });
});
