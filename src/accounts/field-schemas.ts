import { IANAZone } from 'luxon';
import { z } from 'zod';

/** NUL or a lone UTF-16 surrogate: Postgres rejects both in text and jsonb, which would surface as a 500. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** A string Postgres can store as given. Every free-text field of the API starts from this. */
export const storableString = z.string().refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');

/** An IANA time zone name such as `Europe/Paris` or `UTC`. */
export const timezoneSchema = z
  .string()
  .max(100)
  .refine((zone) => IANAZone.isValidZone(zone), 'not a valid IANA time zone');
