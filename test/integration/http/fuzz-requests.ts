import type express from 'express';

export { mulberry32 } from '../../helpers/seeded-random';
import { mulberry32 } from '../../helpers/seeded-random';

export type Area = 'api' | 'page' | 'console' | 'other';
export interface RouteTemplate {
  method: string;
  /** `/api/v1/contacts/:id`: the mount prefix and the route's own path. */
  path: string;
  area: Area;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  match(path: string): boolean;
}

const MOUNTS: [string, Area][] = [
  ['/api/v1', 'api'],
  ['/app', 'console'],
  ['/book', 'page'],
  ['/c', 'page'],
];

/** Every route the app serves, with its mount prefix, found by walking Express's router stack. */
export function mountedRoutes(app: express.Express): RouteTemplate[] {
  const found: RouteTemplate[] = [];
  const walk = (stack: Layer[], prefix: string, area: Area) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${layer.route.path}`;
        const routeArea = area === 'other' && path.startsWith('/u/') ? 'page' : area;
        for (const method of Object.keys(layer.route.methods))
          if (method !== '_all') found.push({ method, path, area: routeArea });
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, prefix, area);
      }
    }
  };
  for (const layer of (app as unknown as { router: { stack: Layer[] } }).router.stack) {
    if (!layer.route && !layer.handle.stack) continue;
    const mount = layer.match('/nowhere-at-all/x') ? undefined : MOUNTS.find(([prefix]) => layer.match(`${prefix}/x`));
    if (layer.route) walk([layer], '', 'other');
    else walk(layer.handle.stack!, mount?.[0] ?? '', mount?.[1] ?? 'other');
  }
  return found;
}

/** Ids and tokens that exist, so that some requests get past the lookup into the handler. */
export interface KnownValues {
  ids: string[];
  tokens: string[];
  slugs: string[];
}

const ODD_SEGMENTS = [
  '%00',
  'a%00b',
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%F0%9F%98%80',
  'x'.repeat(3000),
  '..',
  '%2e%2e',
  '%2F',
  '.',
  '%C3%A9',
  '%20',
  '0',
  '-1',
  '1e309',
  '99999999999999999999',
  'NaN',
  'null',
  'undefined',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  "'%3B--",
  '%3Cscript%3E',
  'new',
  '__proto__',
  'constructor',
  '%E2%80%AE',
];
const ODD_QUERY_VALUES = [
  '%00',
  '',
  'x'.repeat(2000),
  '-1',
  '0',
  '1e309',
  '18446744073709551616',
  'NaN',
  'Europe%2FLONDON',
  'europe/london',
  'utc',
  'UTC',
  'Mars%2FBase',
  '2026-13-45',
  '2026-02-30',
  '9999-12-31',
  '0000-01-01',
  '2026-03-09T13:00:00Z',
  '%ED%A0%80',
  '%E0%A4%A',
  'true',
  '00000000-0000-0000-0000-000000000000',
  'A'.repeat(150),
  '%7B%7D',
  '%5B%5D',
];
const QUERY_KEYS = [
  'tz',
  'cursor',
  'limit',
  'date',
  'from',
  'to',
  'email',
  'tag',
  'status',
  'workflowId',
  'contactId',
  'calendarId',
  'q',
  'next',
  'page',
  'signed-out',
];
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const JSON_BODIES = [
  '{',
  '{"a":',
  '[]',
  'null',
  '"text"',
  '1e999',
  '-0',
  deep(50_000),
  `{"a":${deep(3000)}}`,
  '{"__proto__":{"polluted":1}}',
  '{"email":"a@b.co","tags":["\\u0000"]}',
  '{"name":"\\ud800"}',
  '{"start":"2026-03-09T13:00:00Z","tz":"EUROPE/london","name":"x","email":"x@y.z"}',
  '{"start":1e999}',
  '{"start":["2026-03-09T13:00:00Z"]}',
  '{"limit":18446744073709551616}',
  '{"id":"x","name":"y","trigger":{"type":"manual"},"steps":[]}',
  '{"contactId":"00000000-0000-0000-0000-000000000000"}',
  '{"tags":[[[[[]]]]]}',
  `{"k":"${'x'.repeat(200_000)}"}`,
];
const FORM_BODIES = [
  'tz=%00',
  'start=%00&tz=utc',
  'start=2026-03-09T13%3A00%3A00Z&tz=EUROPE%2Flondon&name=A&email=a%40b.co',
  'a[b][c]=1',
  '%',
  '_csrf=x',
  'tz=' + 'x'.repeat(500),
];
const ACCEPTS = ['text/html', 'application/json', '*/*', 'image/png', undefined];

export interface FuzzRequest {
  index: number;
  area: Area;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Send the console's session cookie (and sometimes its CSRF token in a form body). */
  signedIn: boolean;
}

/** A deterministic list of `count` requests across `routes`, from `seed`. */
export function fuzzRequests(seed: number, count: number, routes: RouteTemplate[], known: KnownValues): FuzzRequest[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const segment = (name: string): string => {
    if (chance(0.5)) return pick(ODD_SEGMENTS);
    if (name === 'token') return pick(known.tokens);
    if (name === 'ref') return pick([...known.slugs, ...known.ids]);
    return pick([...known.ids, ...known.slugs]);
  };
  const query = (): string => {
    const parts: string[] = [];
    const n = Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      const key = pick(QUERY_KEYS);
      const shape = random();
      const value = pick(ODD_QUERY_VALUES);
      if (shape < 0.1) parts.push(`${key}[]=${value}&${key}[]=${value}`);
      else if (shape < 0.15) parts.push(`${key}[a][b]=${value}`);
      else if (shape < 0.2) parts.push(`${key}=${value}&${key}=${value}`);
      else parts.push(`${key}=${value}`);
    }
    return parts.length ? `?${parts.join('&')}` : '';
  };
  return Array.from({ length: count }, (_, index) => {
    const route = pick(routes);
    let path = route.path.replace(/:(\w+)/g, (_m, name: string) => segment(name));
    // An extra segment leaves the route: under /u that is the app's JSON 404, so no page shape is expected.
    const extra = chance(0.05);
    if (extra) path += `/${pick(ODD_SEGMENTS)}`;
    path += query();
    const headers: Record<string, string> = {};
    const accept = pick(ACCEPTS);
    if (accept) headers.Accept = accept;
    if (route.area === 'api' && chance(0.8))
      headers.Authorization = chance(0.9)
        ? 'Bearer {key}'
        : pick(['Bearer ', 'Bearer lf_nope', 'Basic x', 'Bearer %00']);
    let body: string | undefined;
    if (route.method !== 'get' && chance(0.85)) {
      const kind = random();
      if (kind < 0.55) {
        headers['Content-Type'] = pick([
          'application/json',
          'application/json; charset=utf-8',
          'application/merge-patch+json',
        ]);
        body = pick(JSON_BODIES);
      } else if (kind < 0.85) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        body = pick(FORM_BODIES);
      } else {
        headers['Content-Type'] = pick([
          'text/plain',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin-9',
        ]);
        body = pick(JSON_BODIES);
      }
    }
    const area = extra && route.area === 'page' ? 'other' : route.area;
    return { index, area, method: route.method, path, headers, body, signedIn: area === 'console' && chance(0.8) };
  });
}
