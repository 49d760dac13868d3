import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { EgressPolicy } from './egress-policy';

/** Every address a hostname resolves to. Injectable, so that tests can play DNS without a server. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, /etc/hosts included), every answer in the order it gives. */
export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

const familyOf = (family: number | string | undefined): 4 | 6 | undefined =>
  family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : undefined;

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

/**
 * A `lookup` for net/tls sockets that resolves once, checks EVERY answer against the policy, and
 * hands only checked addresses to the socket, which connects to them without resolving again: a
 * name that answers public to the check and private to the connection (DNS rebinding) has no
 * second answer to give. All answers, not just the one used: the socket may try each of them in
 * turn (happy eyeballs), and a mixed answer is a rebinding set-up of its own.
 *
 * Sockets only call it for hostnames; IP-literal hosts must be checked before the request.
 */
export function createGuardedLookup(policy: EgressPolicy, resolve: Resolver): LookupFunction {
  const decide = async (hostname: string, family: 4 | 6 | undefined): Promise<LookupAddress[]> => {
    const answers = await resolve(hostname);
    for (const answer of answers) policy.assertAllowed(hostname, answer.address);
    const usable = family ? answers.filter((answer) => answer.family === family) : answers;
    if (usable.length === 0) throw notFound(hostname);
    return usable;
  };
  return (hostname, options, callback) => {
    decide(hostname, familyOf(options.family)).then(
      (usable) => (options.all ? callback(null, usable) : callback(null, usable[0]!.address, usable[0]!.family)),
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
