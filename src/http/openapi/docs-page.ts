import { renderPage, renderPageBody } from '../pages/layout';

type JsonObject = Record<string, unknown>;

const BODY = `<h1>{{title}}</h1>
<p class="muted">Version {{version}}. Every operation needs <code>Authorization: Bearer &lt;key&gt;</code> unless marked
"no API key". Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<nav><ul>{{#each tags}}<li><a href="#{{anchor}}">{{name}}</a></li>{{/each}}</ul></nav>
{{#each tags}}
<section id="{{anchor}}">
<h2>{{name}}</h2>
{{#each operations}}
<article class="card" id="{{id}}">
<h3><code>{{method}} {{path}}</code></h3>
<p>{{summary}}{{#if public}} <strong>(no API key)</strong>{{/if}}</p>
{{#if parameters.length}}<p>Parameters:</p><ul>{{#each parameters}}<li><code>{{name}}</code> ({{in}}{{#if required}}, required{{/if}}){{#if description}}: {{description}}{{/if}}{{#if schema}} <code>{{schema}}</code>{{/if}}</li>{{/each}}</ul>{{/if}}
{{#if body}}<details><summary>Request body (JSON)</summary><pre>{{body}}</pre></details>{{/if}}
<p>Responses:</p><ul>{{#each responses}}<li><code>{{status}}</code> {{description}}{{#if schema}}<details><summary>Schema</summary><pre>{{schema}}</pre></details>{{/if}}</li>{{/each}}</ul>
</article>
{{/each}}
</section>
{{/each}}`;

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

function resolve(document: JsonObject, value: unknown): JsonObject {
  const ref = (value as { $ref?: string } | undefined)?.$ref;
  if (!ref) return (value ?? {}) as JsonObject;
  // Local references only: '#/components/responses/Error404'.
  return ref
    .slice(2)
    .split('/')
    .reduce<JsonObject>((node, key) => (node[key] ?? {}) as JsonObject, document);
}

function schemaOf(content: unknown): unknown {
  return (content as { 'application/json'?: { schema?: unknown } } | undefined)?.['application/json']?.schema;
}

/** The API reference as one server-rendered page, from the OpenAPI document itself (no script, no external asset). */
export function renderDocsPage(document: JsonObject): string {
  const info = document.info as { title: string; version: string };
  const byTag = new Map<string, JsonObject[]>();
  for (const [path, item] of Object.entries(document.paths as Record<string, JsonObject>)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as JsonObject & { tags: string[]; operationId: string };
      const tag = operation.tags[0] ?? 'Other';
      const parameters = ((operation.parameters ?? []) as JsonObject[]).map((parameter) => ({
        ...parameter,
        schema: parameter.in === 'query' ? JSON.stringify(parameter.schema) : undefined,
      }));
      const responses = Object.entries(operation.responses as JsonObject).map(([status, response]) => {
        const resolved = resolve(document, response);
        const schema = schemaOf(resolved.content);
        return { status, description: resolved.description, schema: schema ? pretty(schema) : undefined };
      });
      const body = schemaOf((operation.requestBody as JsonObject | undefined)?.content);
      const entry = {
        id: operation.operationId,
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        summary: operation.summary,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        parameters,
        body: body ? pretty(body) : undefined,
        responses,
      };
      byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
    }
  }
  const tags = [...byTag].map(([name, operations]) => ({
    name,
    anchor: `tag-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    operations,
  }));
  const content = renderPageBody(BODY, { title: info.title, version: info.version, tags });
  return renderPage({ title: `${info.title} reference`, content });
}
