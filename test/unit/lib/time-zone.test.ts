import { canonicalZone, rememberedZoneSpellings } from '../../../src/lib/time-zone';

describe('canonicalising a time zone name', () => {
  it('maps every case variant of a zone to its one canonical name', () => {
    for (const spelling of ['Europe/London', 'europe/LONDON', 'EUROPE/london', 'eUrOpE/lOnDoN']) {
      expect(canonicalZone(spelling)).toBe('Europe/London');
    }
  });

  it('accepts the names Intl accepts but its list of supported zones lacks', () => {
    for (const name of ['UTC', 'utc', 'Asia/Kolkata', 'Europe/Kyiv']) {
      const canonical = canonicalZone(name);
      expect(canonical).not.toBeNull();
      expect(new Intl.DateTimeFormat('en-US', { timeZone: canonical! }).resolvedOptions().timeZone).toBe(canonical);
    }
    expect(canonicalZone('utc')).toBe('UTC');
  });

  it('refuses what is not a zone: unknown names, non-strings, empty, NUL, non-ASCII and overlong input', () => {
    for (const input of [
      'Mars/Base',
      '',
      'Europe/London\u0000',
      'Europe/Lond\u00f6n',
      'Asia/\u212Aolkata',
      'x'.repeat(101),
      ['UTC'],
      42,
      null,
      undefined,
    ]) {
      expect(canonicalZone(input)).toBeNull();
    }
  });

  it('remembers one entry per zone however many spellings it is asked about, and none for invalid input', () => {
    canonicalZone('Pacific/Auckland');
    const before = rememberedZoneSpellings();
    const letters = 'pacific/auckland';
    for (let mask = 0; mask < 500; mask++) {
      const spelling = [...letters].map((ch, i) => ((mask >> i) & 1 ? ch.toUpperCase() : ch)).join('');
      expect(canonicalZone(spelling)).toBe('Pacific/Auckland');
      expect(canonicalZone(`Nowhere/${mask}`)).toBeNull();
    }
    expect(rememberedZoneSpellings()).toBe(before);
  });
});
