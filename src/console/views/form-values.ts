import type { Request } from 'express';

/** A form field as one trimmed string; '' when absent (urlencoded bodies hold strings, or arrays when repeated). */
export function formText(req: Request, name: string): string {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** A form field as given, without trimming (the workflow editor's source). */
export function formRaw(req: Request, name: string): string {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** A query-string value as one string; '' when absent or repeated oddly. */
export function queryText(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** `a=1&b=` → `?a=1` (empty values left out), for links that keep the current filters. */
export function queryString(values: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
