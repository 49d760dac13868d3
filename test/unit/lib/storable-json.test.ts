import { toStorableJson, toStorableText } from '../../../src/lib/storable-json';
import { findUnstorableText } from '../../../src/lib/storable-text';

describe('making JSON storable in PostgreSQL', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps surrogate pairs', () => {
    expect(toStorableText('a\u0000b\ud800c\udfffd\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ufffdd\ud83d\ude00');
    expect(toStorableText('\udc00\ud800')).toBe('\ufffd\ufffd');
  });

  it('replaces them in every string and key, without changing the value it was given', () => {
    const input = { 'k\u0000': ['x\ud800', { deep: '\u0000' }], ok: 1, n: null, fine: 'text', ['__proto__']: 'kept' };
    const copy = JSON.parse(JSON.stringify(input)) as unknown;
    const stored = toStorableJson(input);
    expect(stored).toEqual({
      'k\ufffd': ['x\ufffd', { deep: '\ufffd' }],
      ok: 1,
      n: null,
      fine: 'text',
      ['__proto__']: 'kept',
    });
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(findUnstorableText(stored)).toBeNull();
    expect(JSON.parse(JSON.stringify(input))).toEqual(copy);
  });

  it('returns a storable value as it is', () => {
    const value = { a: ['b', { c: 'd' }] };
    expect(toStorableJson(value)).toBe(value);
    expect(toStorableJson('\u0000')).toBe('\ufffd');
  });

  it('copes with hostile nesting', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let stored = toStorableJson(deep);
    for (let i = 0; i < 100_000; i++) stored = (stored as unknown[])[0];
    expect(stored).toBe('\ufffd');
  });
});
