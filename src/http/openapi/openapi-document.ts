import { z } from 'zod';
import type { ApiOperation } from './api-operation';
import { apiOperations } from './api-operations';
import { errorBodySchema } from './api-schemas';

type JsonObject = Record<string, unknown>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed: the body or query is invalid; `issues` name each field',
  401: 'unauthorized: no or unknown API key',
  403: 'forbidden: this key may not do that',
  404: 'not_found',
  409: 'conflict: the state does not allow it',
  413: 'payload_too_large: body over 1 MB',
};

/** `/contacts/:id` → `/contacts/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
}

/**
 * JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of a zod schema. Recursive parts come
 * back as `$defs`, which would resolve against the document root: they move to components.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output', name: string, components: JsonObject): JsonObject {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  const { $schema: _dialect, $defs, ...rest } = converted;
  const prefix = `${name}_`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
          ? [key, `#/components/schemas/${prefix}${inner.slice('#/$defs/'.length).replace(/^_+/, '')}`]
          : [key, rewrite(inner)],
      ),
    );
  };
  for (const [key, def] of Object.entries(($defs ?? {}) as JsonObject)) {
    components[`${prefix}${key.replace(/^_+/, '')}`] = rewrite(def);
  }
  return rewrite(rest) as JsonObject;
}

function parametersOf(operation: ApiOperation, components: JsonObject): JsonObject[] {
  const params: JsonObject[] = pathParams(operation.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: operation.params?.[name] ?? (name === 'id' ? 'Id of the resource' : name),
    schema: { type: 'string' },
  }));
  if (operation.query) {
    const query = jsonSchemaOf(operation.query, 'input', `${operation.id}Query`, components);
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as JsonObject)) {
      params.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  return params;
}

function responsesOf(operation: ApiOperation, components: JsonObject): JsonObject {
  const { status, description, schema } = operation.response;
  const success: JsonObject = { description };
  if (schema)
    success.content = {
      'application/json': { schema: jsonSchemaOf(schema, 'output', `${operation.id}Response`, components) },
    };
  const errors = new Set<number>(operation.errors ?? []);
  if (!operation.public) errors.add(401);
  if (operation.body || operation.query) errors.add(400);
  if (operation.body) errors.add(413);
  if (pathParams(operation.path).length > 0) errors.add(404);
  const responses: JsonObject = { [String(status)]: success };
  for (const code of [...errors].sort((a, b) => a - b)) {
    responses[String(code)] = { $ref: `#/components/responses/Error${code}` };
  }
  return responses;
}

function operationObject(operation: ApiOperation, components: JsonObject): JsonObject {
  const result: JsonObject = { operationId: operation.id, tags: [operation.tag], summary: operation.summary };
  if (operation.description) result.description = operation.description;
  const parameters = parametersOf(operation, components);
  if (parameters.length > 0) result.parameters = parameters;
  if (operation.body) {
    const schema = jsonSchemaOf(operation.body, 'input', `${operation.id}Body`, components);
    result.requestBody = { required: true, content: { 'application/json': { schema } } };
  }
  result.responses = responsesOf(operation, components);
  if (operation.public) result.security = [];
  return result;
}

/** The OpenAPI 3.1 document of `/api/v1`, generated from the operation registry and its zod schemas. */
export function buildOpenApiDocument(options: { serverUrl: string; operations?: readonly ApiOperation[] }): JsonObject {
  const schemas: JsonObject = {};
  const paths: Record<string, JsonObject> = {};
  for (const operation of options.operations ?? apiOperations) {
    const path = toOpenApiPath(operation.path);
    paths[path] = { ...paths[path], [operation.method]: operationObject(operation, schemas) };
  }
  schemas.Error = jsonSchemaOf(errorBodySchema, 'output', 'Error', schemas);
  const responses = Object.fromEntries(
    Object.entries(ERROR_DESCRIPTIONS).map(([code, description]) => [
      `Error${code}`,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Linkflow API',
      version: 'v1',
      description:
        'Workflow automation for marketers. Every operation needs `Authorization: Bearer <key>` unless marked otherwise. ' +
        "The console's pages call it with their session cookie instead: the session acts as the key it was signed in " +
        'with, and POST, PUT, PATCH and DELETE must then carry the session\'s CSRF token (`<meta name="csrf-token">`) ' +
        'in `X-CSRF-Token` (403 without it).',
    },
    servers: [{ url: `${options.serverUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    tags: [...new Set((options.operations ?? apiOperations).map((operation) => operation.tag))].map((name) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `lf_…`' } },
      schemas,
      responses,
    },
  };
}
