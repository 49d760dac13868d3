import ipaddr from 'ipaddr.js';

/** Why an address is not for calls a workflow author controls. */
export type BlockedRange =
  'loopback' | 'private' | 'linkLocal' | 'carrierGradeNat' | 'unspecified' | 'multicast' | 'broadcast' | 'reserved';
export type AddressClass = 'public' | BlockedRange;

const DESCRIPTIONS: Record<BlockedRange, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
};

export const describeRange = (range: BlockedRange): string => DESCRIPTIONS[range];

/** ipaddr.js range names that we name ourselves; any other non-unicast range is 'reserved'. */
const NAMED: Partial<Record<string, BlockedRange>> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  linkLocal: 'linkLocal',
  carrierGradeNat: 'carrierGradeNat',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];
const IPV4_TRANSLATED = ipaddr.parseCIDR('::ffff:0:0:0/96') as [ipaddr.IPv6, number];
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16') as [ipaddr.IPv6, number];
/** IPv4-compatible (deprecated) and the rest of ::/8 that no special range names. */
const LEGACY_ZERO_PREFIX = ipaddr.parseCIDR('::/8') as [ipaddr.IPv6, number];

const ipv4From = (high: number, low: number): ipaddr.IPv4 =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 address an IPv6 address carries and that a packet to it reaches in the end: IPv4-mapped
 * (::ffff:a.b.c.d, which a dual-stack socket connects to over IPv4), IPv4-translated, NAT64's
 * well-known prefix and 6to4. Undefined when there is none.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = ip.parts;
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address();
  if (ip.match(IPV4_TRANSLATED) || ip.match(NAT64_WELL_KNOWN)) return ipv4From(parts[6]!, parts[7]!);
  if (ip.match(SIX_TO_FOUR)) return ipv4From(parts[1]!, parts[2]!);
  return undefined;
}

function classifyIPv4(ip: ipaddr.IPv4): AddressClass {
  const range = ip.range();
  // Only global unicast passes: any special range we have no name for (benchmarking, 240/4, …) is refused.
  return range === 'unicast' ? 'public' : (NAMED[range] ?? 'reserved');
}

function classifyIPv6(ip: ipaddr.IPv6): AddressClass {
  const embedded = embeddedIPv4(ip);
  if (embedded) return classifyIPv4(embedded);
  const range = ip.range();
  if (range !== 'unicast') return NAMED[range] ?? 'reserved';
  return ip.match(LEGACY_ZERO_PREFIX) ? 'reserved' : 'public';
}

/**
 * Whether an address (as a resolver or a URL gives it) is public, or which internal range it is
 * in. Anything that does not parse is 'reserved': the guard fails closed.
 */
export function classifyAddress(address: string): AddressClass {
  if (!ipaddr.isValid(address)) return 'reserved';
  const ip = ipaddr.parse(address);
  return ip.kind() === 'ipv4' ? classifyIPv4(ip as ipaddr.IPv4) : classifyIPv6(ip as ipaddr.IPv6);
}
