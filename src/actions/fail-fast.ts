import { classifyStepError } from '../engine/classify-step-error';
import { NonRetryableError } from '../lib/step-errors';

/**
 * Runs a domain-service call for an action (contacts, calendars, links). An error that retrying
 * cannot help by the engine's one classification (classifyStepError: a bad value, a vanished
 * contact) is thrown as the NonRetryableError that actions steer with; anything else (a lost
 * connection) stays as it is, retryable.
 */
export async function failFast<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && !(error instanceof NonRetryableError) && classifyStepError(error).kind === 'final') {
      throw new NonRetryableError(error.message);
    }
    throw error;
  }
}
