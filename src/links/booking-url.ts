import { deriveToken, type UrlSigner } from '../lib/signed-tokens';

/** The URL of a one-time booking link: `<PUBLIC_URL>/book/<token>`, the token derived from the link's row. */
export function bookingUrl(signer: UrlSigner, linkId: string, salt: string): string {
  return `${signer.publicUrl}/book/${deriveToken(signer.secret, 'one-time-link', linkId, salt)}`;
}
