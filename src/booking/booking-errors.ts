import { ConflictError } from '../lib/errors';

/** The slot was free a moment ago but another booking took it; the link stays usable. */
export class SlotUnavailableError extends ConflictError {
  override readonly code = 'slot_unavailable';
  constructor(message = 'This time slot is no longer available') {
    super(message);
  }
}

/** Another calendar (of any account: /c/:slug is one global URL space) already uses this slug. */
export class SlugTakenError extends ConflictError {
  override readonly code = 'slug_taken';
  constructor(slug: string) {
    super(`The slug '${slug}' is already in use`);
  }
}

/** Postgres: 23P01 exclusion_violation (two booked appointments overlap). */
export function isExclusionViolation(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } } | null;
  return (candidate?.driverError?.code ?? candidate?.code) === '23P01';
}
