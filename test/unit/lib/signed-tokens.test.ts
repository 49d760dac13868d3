import { deriveToken, looksLikeToken, newTokenSalt, tokenHash } from '../../../src/lib/signed-tokens';

describe('link tokens', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';

  it('derives the same URL-safe token from the same link, and different ones per purpose, salt and secret', () => {
    const salt = newTokenSalt();
    const token = deriveToken(secret, 'one-time-link', 'link-1', salt);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(looksLikeToken(token)).toBe(true);
    expect(deriveToken(secret, 'one-time-link', 'link-1', salt)).toBe(token);
    expect(deriveToken(secret, 'appointment.cancel', 'link-1', salt)).not.toBe(token);
    expect(deriveToken(secret, 'one-time-link', 'link-1', newTokenSalt())).not.toBe(token);
    expect(deriveToken(`${secret}!`, 'one-time-link', 'link-1', salt)).not.toBe(token);
  });

  it('draws 128 bits of salt from the CSPRNG and stores only a hash', () => {
    const salts = new Set(Array.from({ length: 1000 }, () => newTokenSalt()));
    expect(salts.size).toBe(1000);
    expect([...salts][0]).toMatch(/^[0-9a-f]{32}$/);
    const token = deriveToken(secret, 'one-time-link', 'x', [...salts][0]!);
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(token)).not.toContain(token);
    expect(looksLikeToken('short')).toBe(false);
    expect(looksLikeToken(`${token}/`)).toBe(false);
  });
});
