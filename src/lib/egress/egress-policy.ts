import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { classifyAddress } from './address-policy';
import { EgressRefusedError } from './egress-refused-error';

export interface EgressPolicyOptions {
  /** Lift the guard: any address may be called (development and tests). Default false. */
  allowPrivateNetworks?: boolean;
  /**
   * Internal targets that may be called all the same: hostnames (matched as the URL names them,
   * whatever they resolve to), IP addresses and CIDRs (matched against the address connected to).
   * Default none.
   */
  allowedHosts?: readonly string[];
}

/** Decides whether a host may be reached at an address. */
export interface EgressPolicy {
  /** The refusal, or null when the call may go ahead. */
  refusal(host: string, address: string): EgressRefusedError | null;
  /** Throws the refusal, if any. */
  assertAllowed(host: string, address: string): void;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** `[::1]` (a URL's host) → `::1`; `localhost.` → `localhost`. */
export const bareHost = (host: string): string =>
  host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');

/** An IPv4-mapped IPv6 address as the IPv4 address it stands for, so that IPv4 CIDRs match it. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  const ip = ipaddr.parse(address);
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
}

function parseAllowedHosts(entries: readonly string[]): { names: Set<string>; cidrs: Cidr[] } {
  const names = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const entry of entries.map(bareHost)) {
    if (entry.includes('/')) {
      try {
        cidrs.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new Error(`WEBHOOK_ALLOWED_HOSTS: '${entry}' is not a valid CIDR`);
      }
    } else if (isIP(entry)) {
      const ip = ipaddr.parse(entry);
      cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else {
      names.add(entry);
    }
  }
  return { names, cidrs };
}

export function createEgressPolicy(options: EgressPolicyOptions): EgressPolicy {
  const { names, cidrs } = parseAllowedHosts(options.allowedHosts ?? []);
  const inAllowedCidr = (address: string): boolean => {
    const ip = parseAddress(address);
    return ip !== null && cidrs.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
  };
  const refusal = (host: string, address: string): EgressRefusedError | null => {
    if (options.allowPrivateNetworks || names.has(bareHost(host)) || inAllowedCidr(address)) return null;
    const range = classifyAddress(address);
    return range === 'public' ? null : new EgressRefusedError(bareHost(host), address, range);
  };
  return {
    refusal,
    assertAllowed(host, address) {
      const refused = refusal(host, address);
      if (refused) throw refused;
    },
  };
}
