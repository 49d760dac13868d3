import type { IssueDetail } from '../../../lib/errors';
import type { Draft } from './draft';

/** The session's CSRF token: the layout's meta tag, else the builder's mount element. */
export function csrfToken(mount: HTMLElement): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]');
  return meta?.content || mount.dataset.csrf || '';
}

export interface SavedWorkflow {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'draft';
  version: number;
}

export type SaveResult = { ok: true; workflow: SavedWorkflow } | { ok: false; message: string; issues: IssueDetail[] };

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { issues?: IssueDetail[] }; issues?: IssueDetail[] };
  message?: string;
  issues?: IssueDetail[];
}

/** Reads the issues out of an API error body, whichever of its known shapes it has. */
function issuesOf(body: ApiErrorBody): IssueDetail[] {
  return body.error?.details?.issues ?? body.error?.issues ?? body.issues ?? [];
}

/** The same API as scripts use (`POST /workflows`, `PUT /workflows/:id`), with the console session. */
export async function saveWorkflow(options: {
  draft: Draft;
  workflowId: string | null;
  csrf: string;
}): Promise<SaveResult> {
  const url = options.workflowId ? `/api/v1/workflows/${encodeURIComponent(options.workflowId)}` : '/api/v1/workflows';
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.workflowId ? 'PUT' : 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': options.csrf },
      body: JSON.stringify(options.draft),
    });
  } catch {
    return { ok: false, message: 'The server could not be reached; nothing was saved.', issues: [] };
  }
  const body = (await response.json().catch(() => ({}))) as ApiErrorBody & SavedWorkflow;
  if (response.ok) return { ok: true, workflow: body };
  const message =
    response.status === 401 || response.status === 403
      ? 'Your session has ended or this page is stale: sign in again in another tab, then save.'
      : (body.error?.message ?? body.message ?? `Saving failed (${response.status}).`);
  return { ok: false, message, issues: issuesOf(body) };
}

/** The API's own message for a refused request, or a sentence for a session that ended. */
export function errorMessage(status: number, body: ApiErrorBody, action: string): string {
  if (status === 401 || status === 403)
    return 'Your session has ended or this page is stale: sign in again in another tab, then try again.';
  return body.error?.message ?? body.message ?? `${action} failed (${status}).`;
}

/** A JSON request to /api/v1 with the console session (and its CSRF token when it changes something). */
export async function apiRequest<T>(
  url: string,
  options: { method?: 'GET' | 'POST'; body?: unknown; csrf?: string; action: string },
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(options.csrf === undefined ? {} : { 'X-CSRF-Token': options.csrf }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    return { ok: false, message: `The server could not be reached: ${options.action.toLowerCase()} failed.` };
  }
  const body = (await response.json().catch(() => ({}))) as unknown;
  if (response.ok) return { ok: true, value: body as T };
  return { ok: false, message: errorMessage(response.status, body as ApiErrorBody, options.action) };
}

/** A list the builder offers to pick from; empty when the endpoint is missing or refuses. */
export async function fetchList<T>(url: string): Promise<T[] | null> {
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as { items?: T[] } | T[];
    return Array.isArray(body) ? body : Array.isArray(body.items) ? body.items : null;
  } catch {
    return null;
  }
}
