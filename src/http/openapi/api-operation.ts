import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One `/api/v1` operation as the API description shows it; schemas are the ones the route parses with. */
export interface ApiOperation {
  /** The operationId, e.g. `createContact`. */
  id: string;
  method: HttpMethod;
  /** Express-style and relative to /api/v1, exactly as the route declares it: `/contacts/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Descriptions of the path's `:params`. Default: "Id of the resource" for `id`, the name otherwise. */
  params?: Record<string, string>;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success response; `schema` only where the route's output has a zod schema. */
  response: { status: number; description: string; schema?: z.ZodType };
  /** Error statuses beyond those implied (401 unless public, 400 with a body or query, 404 with path params). */
  errors?: number[];
  /** Answered without an API key. Default false. */
  public?: boolean;
}
