/**
 * The public pages whose path segment is a secret: `/u/<token>` (unsubscribe), `/book/<token>`
 * (one-time link), `/book/reschedule/<token>` and `/book/cancel/<token>` (appointment). Whoever reads
 * the token can act as its owner, so a path or URL is logged with `:token` in its place.
 */
const SECRET_SEGMENT =
  /(\/u\/|\/book\/(?:reschedule\/|cancel\/)?)(?!(?:reschedule|cancel)(?:[/?#\s"'<>)]|$))[^/?#\s"'<>)]+/g;

/** `/book/cancel/abc…?x=1` → `/book/cancel/:token?x=1`; anywhere in a text, so full URLs too. */
export function redactSecretPaths(text: string): string {
  return text.replace(SECRET_SEGMENT, '$1:token');
}
