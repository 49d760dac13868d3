/**
 * The widget talks to the page's own JSON answers (`Accept: application/json`): GET with `from`/`to`
 * for free slots, POST to book or move. Shapes are checked lightly here rather than with zod, to
 * keep the widget small: the server is our own and validates what it is sent.
 */

export interface SlotView {
  start: string;
  end: string;
}

export interface CalendarView {
  name: string;
  timezone: string;
  durationMinutes: number;
  ownerName: string | null;
}

export interface SlotsAnswer {
  calendar: CalendarView;
  slots: SlotView[];
}

export interface BookedAnswer {
  appointment: { id: string; start: string; end: string; rescheduleUrl: string; cancelUrl: string };
  icsUrl?: string;
  googleCalendarUrl?: string;
}

export interface BookingRequest {
  start: string;
  tz: string;
  name?: string;
  email?: string;
  phone?: string;
}

/** A refused or failed request: the HTTP status (0 = no answer) and the API's error code and issues. */
export class RequestFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(`request failed with ${status}${code ? ` (${code})` : ''}`);
  }
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...init.headers },
    });
  } catch {
    throw new RequestFailed(0, null);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; issues?: unknown } } | null)?.error;
    const issues = Array.isArray(error?.issues) ? (error.issues as { path: string; message: string }[]) : [];
    throw new RequestFailed(response.status, typeof error?.code === 'string' ? error.code : null, issues);
  }
  return body;
}

export async function fetchSlots(endpoint: string, range: { from: string; to: string }): Promise<SlotsAnswer> {
  const body = (await call(`${endpoint}?${new URLSearchParams(range).toString()}`, { method: 'GET' })) as SlotsAnswer;
  if (!body || !Array.isArray(body.slots) || typeof body.calendar?.name !== 'string')
    throw new RequestFailed(502, 'unexpected_answer');
  return body;
}

export async function book(endpoint: string, request: BookingRequest): Promise<BookedAnswer> {
  const body = (await call(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  })) as BookedAnswer;
  if (typeof body?.appointment?.start !== 'string') throw new RequestFailed(502, 'unexpected_answer');
  return body;
}

/** What to tell the visitor when a request failed; null when the page should be reloaded (the link is gone). */
export function failureMessage(error: unknown): string | null {
  if (!(error instanceof RequestFailed)) return 'Something went wrong. Please try again.';
  if (error.status === 404 || error.status === 410) return null;
  if (error.status === 0) return 'We could not reach the server. Check your connection and try again.';
  if (error.status === 409) return 'Sorry, that time was just taken. Please choose another one.';
  if (error.status === 429) return 'Too many requests. Please wait a minute and try again.';
  if (error.status === 400 && error.issues.length > 0) {
    return error.issues
      .map((issue) =>
        issue.path === 'start'
          ? 'Please choose one of the times shown.'
          : `${FIELD_NAMES[issue.path] ?? issue.path}: ${issue.message}`,
      )
      .join(' ');
  }
  return 'Something went wrong. Please try again.';
}

const FIELD_NAMES: Record<string, string> = { name: 'Your name', email: 'Your email', phone: 'Your phone' };
