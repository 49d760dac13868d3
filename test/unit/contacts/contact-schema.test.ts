import { decodeCursor, encodeCursor } from '../../../src/contacts/contact-list';
import { contactInputSchema, contactPatchSchema, tagSchema } from '../../../src/contacts/contact-schema';
import { ValidationError } from '../../../src/lib/errors';
import { parseOrThrow } from '../../../src/lib/zod-issues';

const pathsOf = (input: unknown, schema = contactInputSchema): string[] => {
  try {
    parseOrThrow(schema, input);
    return [];
  } catch (error) {
    return (error as ValidationError).issues.map((issue) => issue.path);
  }
};

describe('the contact schema', () => {
  it('trims and lower-cases tags, so "Lead" matches a trigger on "lead"', () => {
    expect(tagSchema.parse('  Lead ')).toBe('lead');
    expect(tagSchema.safeParse('   ').success).toBe(false);
    expect(tagSchema.safeParse('x'.repeat(101)).success).toBe(false);
  });

  it('accepts E.164 phones only', () => {
    expect(pathsOf({ phone: '+14155550123' })).toEqual([]);
    for (const phone of ['14155550123', '+0123456789', '+1 415 555 0123', '+123456', '+1234567890123456']) {
      expect(pathsOf({ phone })).toEqual(['phone']);
    }
  });

  it('needs an email or a phone on creation but not in a patch', () => {
    expect(pathsOf({ firstName: 'A' })).toEqual(['']);
    expect(pathsOf({ email: null, phone: null })).toEqual(['']);
    expect(pathsOf({ firstName: 'A' }, contactPatchSchema)).toEqual([]);
  });

  it('reports nested paths like tags[1] and customFields.plan', () => {
    expect(pathsOf({ email: 'a@b.co', tags: ['ok', 7], customFields: { plan: [] } }).sort()).toEqual([
      'customFields.plan',
      'tags[1]',
    ]);
  });

  it('takes only IANA time zones', () => {
    expect(pathsOf({ email: 'a@b.co', timezone: 'Europe/Paris' })).toEqual([]);
    expect(pathsOf({ email: 'a@b.co', timezone: 'CEST+2' })).toEqual(['timezone']);
  });
});

describe('list cursors', () => {
  const position = { at: '2025-06-01T12:34:56.123456Z', id: '3f0c6a9e-1b2d-4c5e-8f70-123456789abc' };

  it('round-trip a position at microsecond precision', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['garbage', 'not a cursor'],
    [
      'an impossible date',
      Buffer.from(JSON.stringify(['2025-02-30T00:00:00.000000Z', position.id])).toString('base64url'),
    ],
    [
      'millisecond precision',
      Buffer.from(JSON.stringify(['2025-06-01T12:34:56.123Z', position.id])).toString('base64url'),
    ],
    ['a bad id', Buffer.from(JSON.stringify([position.at, 'x'])).toString('base64url')],
    ['an object', Buffer.from(JSON.stringify({ at: position.at })).toString('base64url')],
  ])('reject %s with a ValidationError at cursor', (_what, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ValidationError);
  });
});
