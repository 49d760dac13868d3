import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { apiOperations } from '../../../src/http/openapi/api-operations';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  match(path: string): boolean;
}

/** `method path` of every route the app serves under /api/v1, found by walking Express's router stack. */
function mountedApiRoutes(app: ReturnType<typeof createApp>): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          if (method !== '_all') found.push(`${method} ${layer.route.path}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  // The routers mounted at /api/v1: they match below /api/v1 and nowhere else.
  walk(top.filter((layer) => !layer.route && layer.handle.stack && layer.match('/api/v1/x') && !layer.match('/x')));
  return found.sort();
}

type Json = Record<string, unknown>;

function refsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsOf(inner),
  );
}

function resolvePointer(document: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), document);
}

describe('the OpenAPI description of /api/v1', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('lists every mounted /api/v1 route, and nothing else', () => {
    const mounted = mountedApiRoutes(createApp(env.container));
    expect(mounted.length).toBeGreaterThan(25);
    const described = apiOperations.map((operation) => `${operation.method} ${operation.path}`).sort();
    expect(described).toEqual(mounted);
  });

  it('is served at /api/v1/openapi.json without an API key, as valid OpenAPI 3.1', async () => {
    const response = await request(createApp(env.container)).get('/api/v1/openapi.json').expect(200);
    const document = response.body as Json & { paths: Record<string, Record<string, Json>> };
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Linkflow API', version: 'v1' });
    expect(document.servers).toEqual([{ url: `${env.config.PUBLIC_URL}/api/v1` }]);

    const operationIds = new Set<string>();
    for (const operation of apiOperations) {
      const path = operation.path.replace(/:(\w+)/g, '{$1}');
      const described = document.paths[path]?.[operation.method];
      expect(described).toBeDefined();
      expect(Object.keys(described!.responses as Json)).toContain(String(operation.response.status));
      const declared = ((described!.parameters ?? []) as { name: string; in: string }[])
        .filter((p) => p.in === 'path')
        .map((p) => p.name);
      expect(declared.sort()).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      operationIds.add(described!.operationId as string);
    }
    expect(operationIds.size).toBe(apiOperations.length);
    for (const ref of refsOf(document)) {
      expect(ref).toMatch(/^#\/components\//);
      expect(resolvePointer(document, ref)).toBeDefined();
    }
  });

  it('carries request schemas generated from the zod schemas the routes parse with', async () => {
    const { body: document } = await request(createApp(env.container)).get('/api/v1/openapi.json').expect(200);
    const schemaOf = (path: string, method: string) =>
      document.paths[path][method].requestBody.content['application/json'].schema;
    const contact = schemaOf('/contacts', 'post');
    expect(contact.type).toBe('object');
    expect(contact.properties.email.anyOf).toEqual(
      expect.arrayContaining([expect.objectContaining({ format: 'email' })]),
    );
    expect(contact.additionalProperties).toBe(false);
    expect(schemaOf('/accounts', 'post').required).toEqual(['name']);
    expect(schemaOf('/events', 'post').required).toEqual(['type', 'contactId']);
    const workflow = schemaOf('/workflows', 'post');
    expect(workflow.required).toEqual(expect.arrayContaining(['id', 'name', 'trigger', 'steps']));
    const stepTypes = workflow.properties.steps.items.anyOf.map(
      (step: Json & { properties: { type: { const: string } } }) => step.properties.type.const,
    );
    expect(stepTypes).toEqual(
      expect.arrayContaining(['wait', 'webhook', 'add_tag', 'send_email', 'generate_one_time_link']),
    );
    expect(schemaOf('/workflows/{id}/runs', 'post').anyOf).toHaveLength(3);
    const runQuery = document.paths['/runs'].get.parameters.find((p: { name: string }) => p.name === 'status');
    expect(runQuery.schema.enum).toEqual(['running', 'waiting', 'completed', 'failed', 'cancelled']);
    expect(
      document.paths['/contacts/{id}'].get.responses['200'].content['application/json'].schema.properties.email,
    ).toBeDefined();
    expect(document.paths['/openapi.json'].get.security).toEqual([]);
    expect(document.security).toEqual([{ apiKey: [] }]);
  });

  it('has a docs page without an API key, with the security headers and no script', async () => {
    const app = createApp(env.container);
    const response = await request(app).get('/api/v1/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.text).toContain('<code>POST /api/v1/contacts</code>');
    expect(response.text).toContain('<code>POST /api/v1/runs/:id/retry</code>'.replace(':id', '{id}'));
    expect(response.text).toContain('&quot;additionalProperties&quot;: false');
    expect(response.text).not.toMatch(/<script/i);
    await request(app).get('/api/v1/contacts').expect(401);
  });
});
