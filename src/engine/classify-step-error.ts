import { isDatabaseUnavailable } from '../db/unavailable';
import { AppError } from '../lib/errors';
import { NonRetryableError, RetryAfterError } from '../lib/step-errors';

/**
 * What a step's failure means, decided here only:
 * - `unavailable`: PostgreSQL is down; no failure of the step (the worker waits it out, src/queue/worker-factory.ts);
 * - `later`: come back at `at` without spending an attempt (RetryAfterError: sending windows, Retry-After);
 * - `final`: retrying cannot help (NonRetryableError, or an expected caller error: a bad value, a vanished record);
 * - `retry`: anything else, retried by the step's policy.
 */
export type StepErrorClass =
  { kind: 'unavailable' } | { kind: 'later'; at: Date } | { kind: 'final' } | { kind: 'retry' };

export function classifyStepError(error: unknown): StepErrorClass {
  if (isDatabaseUnavailable(error)) return { kind: 'unavailable' };
  if (error instanceof RetryAfterError) return { kind: 'later', at: error.at };
  if (error instanceof NonRetryableError || error instanceof AppError) return { kind: 'final' };
  return { kind: 'retry' };
}
