import { readUnsubscribeToken, unsubscribeToken, unsubscribeUrl } from '../../../src/messaging/unsubscribe-token';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const CONTACT = '0b6f1c7e-4f1d-4c55-9d38-6f7f0e9d2a11';

describe('unsubscribe tokens', () => {
  it('round-trips the contact id and is stable', () => {
    const token = unsubscribeToken(SECRET, CONTACT);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(unsubscribeToken(SECRET, CONTACT)).toBe(token);
    expect(readUnsubscribeToken(SECRET, token)).toBe(CONTACT);
  });

  it('refuses another secret, another contact and mangled tokens', () => {
    const token = unsubscribeToken(SECRET, CONTACT);
    expect(readUnsubscribeToken('another-secret-of-at-least-thirty-two-chars', token)).toBeNull();
    const [, signature] = token.split('.');
    expect(
      readUnsubscribeToken(
        SECRET,
        `${Buffer.from('0b6f1c7e-4f1d-4c55-9d38-6f7f0e9d2a12').toString('base64url')}.${signature}`,
      ),
    ).toBeNull();
    for (const bad of ['', '.', 'abc', `${token}x`, `${token}.x`, token.slice(0, -1)])
      expect(readUnsubscribeToken(SECRET, bad)).toBeNull();
  });

  it('builds the public URL', () => {
    expect(unsubscribeUrl({ publicUrl: 'https://x.test', secret: SECRET, contactId: CONTACT })).toBe(
      `https://x.test/u/${unsubscribeToken(SECRET, CONTACT)}`,
    );
  });
});
