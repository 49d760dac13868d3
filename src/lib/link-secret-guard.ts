/**
 * The secret that signs links, checked where it is used: an unresolved one ('' until start-up's
 * applyLinkSecret) or a short one would make every token forgeable, so it fails loudly instead.
 */
export function requireLinkSecret(secret: string): string {
  if (secret.length < 32)
    throw new Error('the link secret is not resolved: start-up must apply it before links are made or read');
  return secret;
}
