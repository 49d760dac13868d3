import { IANAZone } from 'luxon';
import { z } from 'zod';

import { isStorableText } from '../lib/storable-text';

export { isStorableText };

/** A string Postgres can store as given. Every free-text field of the API starts from this. */
export const storableString = z.string().refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');

/** An IANA time zone name such as `Europe/Paris` or `UTC`. */
export const timezoneSchema = z
  .string()
  .max(100)
  .refine((zone) => IANAZone.isValidZone(zone), 'not a valid IANA time zone');
