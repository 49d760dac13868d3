import { z } from 'zod';

import { isStorableText } from '../lib/storable-text';
import { canonicalZone } from '../lib/time-zone';

export { isStorableText };

/** A string Postgres can store as given. Every free-text field of the API starts from this. */
export const storableString = z
  .string()
  .refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');

/**
 * An IANA time zone name such as `Europe/Paris` or `UTC`, stored in its canonical spelling
 * (`europe/PARIS` → `Europe/Paris`), so that one zone is one key in every cache keyed by zone.
 * An alias the runtime files under another name (`Asia/Kolkata`) is kept as written.
 */
export const timezoneSchema = z
  .string()
  .max(100)
  .refine((zone) => canonicalZone(zone) !== null, 'not a valid IANA time zone')
  .transform((zone) => {
    const canonical = canonicalZone(zone)!;
    return canonical.toLowerCase() === zone.toLowerCase() ? canonical : zone;
  });
