import { webhookStep } from '../definition/steps/webhook';
import { EgressRefusedError } from '../lib/egress/egress-refused-error';
import { NonRetryableError, RetryableError } from '../lib/step-errors';
import { renderDeep } from '../templating/render-deep';
import { defineAction } from './action';
import { readResponseBody, type WebhookResponse } from './webhook-response';

function httpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new NonRetryableError('webhook url did not render to a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NonRetryableError(`webhook url must be http(s), not ${url.protocol}`);
  }
  return url;
}

/**
 * Why a request never got a response, without the URL (it may carry a token). An internal address
 * stays internal however often we retry, so a refusal fails the step at once.
 */
function networkFailure(error: unknown, timeoutMs: number): RetryableError | NonRetryableError {
  if (error instanceof EgressRefusedError) {
    return new NonRetryableError(`webhook refused: ${error.message}; set WEBHOOK_ALLOWED_HOSTS to allow it`, {
      cause: error,
    });
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new RetryableError(`webhook timed out after ${timeoutMs} ms`);
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return new RetryableError(`webhook request failed: ${cause?.code ?? cause?.message ?? String(error)}`);
}

const excerpt = (body: unknown): string => (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 200);

/**
 * Calls an HTTP endpoint. 2xx/3xx complete the step (redirects are not followed); 5xx, 408, 429 and
 * network failures are retried by the step's policy; any other 4xx, and a host the egress guard
 * refuses, fail the step at once.
 */
export const webhookAction = defineAction(webhookStep, {
  execute: async ({ config, render, idempotencyKey, deps, log }) => {
    const { egress } = deps;
    const url = httpUrl(render(config.url));
    // Header names are case-insensitive: the last spelling of a name wins, as a Headers object's set would.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = render(value);
    headers['user-agent'] ??= 'Linkflow-Webhook/1';
    // The receiver's way to spot our retries and redeliveries: the same key on every attempt of this step.
    headers['idempotency-key'] = idempotencyKey;
    let body: string | undefined;
    if (config.body !== undefined) {
      body = JSON.stringify(renderDeep(config.body, render));
      headers['content-type'] = 'application/json';
    }

    const started = Date.now();
    let response: WebhookResponse;
    let responseBody: unknown;
    try {
      // Through the egress guard: the author's URL must not reach loopback, private or metadata addresses.
      // Redirects are not followed (a 3xx completes the step).
      response = await egress.request(url, {
        method: config.method,
        headers,
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      responseBody = await readResponseBody(response);
    } catch (error) {
      const refused = error instanceof EgressRefusedError;
      log.warn({ host: url.host, method: config.method, refused, durationMs: Date.now() - started }, 'webhook failed');
      throw networkFailure(error, config.timeoutMs);
    }
    const status = response.statusCode;
    log.debug({ host: url.host, method: config.method, status, durationMs: Date.now() - started }, 'webhook responded');

    if (status < 400) return { kind: 'completed', output: { status, body: responseBody } };
    const message = `HTTP ${status}: ${excerpt(responseBody)}`;
    if (status >= 500 || status === 408 || status === 429) throw new RetryableError(message);
    throw new NonRetryableError(message);
  },
});
