import { timezoneSchema } from '../../../src/accounts/field-schemas';
import { contextZone } from '../../../src/lib/time';

describe('time zones stored and used by the engine', () => {
  it('stores every case variant of a zone in its one canonical spelling', () => {
    for (const spelling of ['europe/london', 'EUROPE/LONDON', 'Europe/LONDON', 'Europe/London']) {
      expect(timezoneSchema.parse(spelling)).toBe('Europe/London');
    }
    expect(timezoneSchema.parse('utc')).toBe('UTC');
  });

  it('keeps an alias the runtime files under another name as written', () => {
    expect(timezoneSchema.parse('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('refuses what is not a zone', () => {
    expect(timezoneSchema.safeParse('Mars/Olympus').success).toBe(false);
    expect(timezoneSchema.safeParse('Europe/London\u0000').success).toBe(false);
  });

  it('hands templates the canonical zone whatever the contact or the template wrote', () => {
    expect(contextZone({ contact: { timezone: 'america/NEW_york' } })).toBe('America/New_York');
    expect(contextZone({}, 'EUROPE/paris')).toBe('Europe/Paris');
    expect(contextZone({ contact: { timezone: 'nowhere' }, account: { timezone: 'asia/tokyo' } })).toBe('Asia/Tokyo');
  });
});
