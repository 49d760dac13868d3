import { safeEqual, sha256Hex } from '../lib/secrets';

/**
 * Whether an `Authorization` header opens /metrics: any request when no METRICS_TOKEN is set,
 * otherwise only `Bearer <METRICS_TOKEN>`. Digests are compared, in constant time, so neither the
 * token's characters nor its length show in the answer's timing.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match !== null && safeEqual(sha256Hex(match[1]!), sha256Hex(token));
}
