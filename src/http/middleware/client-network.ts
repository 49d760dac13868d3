import ipaddr from 'ipaddr.js';

/**
 * What one client is counted as by the public rate limit: an IPv4 address as itself, an IPv6 address
 * as its /64. One IPv6 subscriber is routinely given a whole /64 and can pick any address in it, so
 * counting single IPv6 addresses would give each client 2^64 budgets. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) counts as the IPv4 address it carries.
 * Anything unparsable is counted as given.
 */
export function clientNetwork(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return ip ?? 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const prefix = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}
