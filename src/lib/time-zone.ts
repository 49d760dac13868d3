/** Longer than any IANA zone name; anything past it is not worth asking the runtime about. */
const MAX_ZONE_LENGTH = 100;
/** Zone names are printable ASCII; anything else (a Kelvin sign for a K …) is refused up front. */
const ZONE_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * Lower-cased spelling → canonical name, valid zones only. Bounded: the runtime knows a few hundred
 * zone names and aliases, and every spelling of one of them lower-cases to one key. Invalid input
 * is never remembered, so hostile spellings cost a lookup each, not memory.
 */
const canonicalByLowerCase = new Map<string, string>();

/**
 * The runtime's canonical name of a time zone (`europe/LONDON` → `Europe/London`, `utc` → `UTC`),
 * or null when `input` is not a zone. Intl matches zone names case-insensitively, and libraries such
 * as luxon cache per name they are given: a visitor's spelling must never reach them as typed, or
 * every case variant becomes a cache entry that lives as long as the process.
 *
 * Intl, not `Intl.supportedValuesOf('timeZone')`: that list lacks names Intl accepts (`UTC`,
 * `Asia/Kolkata`, `Europe/Kyiv` on Node 20).
 */
export function canonicalZone(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_ZONE_LENGTH || !ZONE_CHARACTERS.test(input)) return null;
  const key = input.toLowerCase();
  const known = canonicalByLowerCase.get(key);
  if (known !== undefined) return known;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: input }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  canonicalByLowerCase.set(key, canonical);
  return canonical;
}

/** How many spellings `canonicalZone` remembers: for tests that its memory stays bounded. */
export function rememberedZoneSpellings(): number {
  return canonicalByLowerCase.size;
}
