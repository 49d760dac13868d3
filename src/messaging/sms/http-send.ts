import { NonRetryableError, RetryableError } from '../../lib/step-errors';

/** How long an SMS provider may take to answer before the attempt counts as failed (and is retried). */
export const SMS_TIMEOUT_MS = 10_000;

export interface HttpAnswer {
  status: number;
  json: unknown;
  text: string;
}

/** POSTs to a provider; a network failure or a timeout is a RetryableError (the URL is not in the message). */
export async function postToProvider(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string },
): Promise<HttpAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    const cause =
      (error as { cause?: { code?: string }; name?: string } | null)?.cause?.code ??
      (error as { name?: string } | null)?.name;
    throw new RetryableError(`${provider}: request failed (${cause ?? 'network error'})`);
  }
  return { status: response.status, json: parseJson(text), text };
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** 5xx, 408 and 429 are worth another try; any other non-2xx is the provider's final word. */
export function providerRefusal(provider: string, answer: HttpAnswer, detail: string | undefined): Error {
  const message = `${provider} answered ${answer.status}${detail ? `: ${detail}` : ''}`;
  if (answer.status >= 500 || answer.status === 408 || answer.status === 429) return new RetryableError(message);
  return new NonRetryableError(message);
}

export const stringField = (json: unknown, key: string): string | undefined => {
  if (typeof json !== 'object' || json === null) return undefined;
  const value = (json as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};
