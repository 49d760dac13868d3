import { NotFoundError, ValidationError } from '../lib/errors';
import { NonRetryableError } from '../lib/step-errors';

/**
 * Runs a contact-service call for an action. A bad value or a vanished contact will not get better
 * on retry, so they fail the step now; anything else (a lost connection) stays retryable.
 */
export async function failFastOnContactErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError || error instanceof NotFoundError) throw new NonRetryableError(error.message);
    throw error;
  }
}
