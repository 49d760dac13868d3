import { z } from 'zod';
import { durationSchema } from '../../lib/duration';

/** The longest a one-time link may live. */
export const MAX_LINK_TTL_MS = 366 * 24 * 3600 * 1000;

/** `expiresIn` (`30m`, `7d`, ISO-8601 or ms, default 7d, at most a year) and `maxUses` (default 1). */
export const linkOptionsShape = {
  expiresIn: durationSchema
    .pipe(z.number().min(1000, 'at least 1s').max(MAX_LINK_TTL_MS, 'at most 366 days'))
    .optional(),
  maxUses: z.number().int().min(1).max(1000).optional(),
};
