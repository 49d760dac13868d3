/**
 * Errors that actions throw to steer their step. What each means is decided in one place
 * (engine/classify-step-error.ts) and translated to BullMQ in one place (engine/step-runner.ts).
 * Any other error is unexpected and retried by the step's policy.
 */

/** Fail the step now; retrying cannot help (a 4xx, a bad template result, a permanent SMTP reply). */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

/** Try again, by the step's retry policy; an explicitly transient failure (a 5xx, a timeout). */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
}

/** Come back at a given time without spending an attempt (a sending window, a provider's Retry-After). */
export class RetryAfterError extends Error {
  override readonly name = 'RetryAfterError';
  constructor(
    readonly at: Date,
    message = `retry after ${at.toISOString()}`,
  ) {
    super(message);
  }
}
