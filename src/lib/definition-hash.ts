import { sha256Hex } from './secrets';
import { canonicalJson } from './canonical-json';

/**
 * sha256 (hex) of a definition's canonical JSON: two versions with the same content have the same
 * hash whatever their key order or formatting; for a file's version it equals the file checksum.
 */
export function definitionHash(raw: unknown): string {
  return sha256Hex(canonicalJson(raw));
}
