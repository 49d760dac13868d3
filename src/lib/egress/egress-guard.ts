import { isIP } from 'node:net';
import { Agent, fetch, request, type Dispatcher, type RequestInit, type Response } from 'undici';
import { bareHost, createEgressPolicy, type EgressPolicyOptions } from './egress-policy';
import { EgressRefusedError } from './egress-refused-error';
import { createGuardedLookup, systemResolver, type Resolver } from './guarded-lookup';

export interface EgressGuardOptions extends EgressPolicyOptions {
  /** How hostnames are resolved. Default: the system resolver (`dns.lookup`, all answers). */
  resolve?: Resolver;
}

/** HTTP calls to URLs that someone other than the operator wrote, kept off internal networks. */
export interface EgressGuard {
  /**
   * undici's fetch through the guard. Throws EgressRefusedError (never wrapped in `fetch failed`)
   * before any connection to a refused address. Redirects are the caller's: pass `redirect: 'manual'`.
   */
  fetch(url: URL, init?: Omit<RequestInit, 'dispatcher'>): Promise<Response>;
  /**
   * undici's `request` through the guard: the same checks as `fetch`, without the WHATWG layer (web
   * streams, header guards) that cost a worker a sixth of its CPU per webhook step. Redirects are not
   * followed. The caller reads (or destroys) `body`.
   */
  request(url: URL, options: GuardedRequest): Promise<Dispatcher.ResponseData>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

export interface GuardedRequest {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The refusal behind undici's `TypeError: fetch failed` (its `cause`, or deeper), if that is what it is. */
function refusalIn(error: unknown): EgressRefusedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof EgressRefusedError) return current;
  }
  return undefined;
}

/**
 * Builds the guard once per process: one connection pool whose every new connection resolves its
 * host through the guarded lookup. IP-literal hosts never reach a lookup, so they are checked here
 * first; the WHATWG URL parser has already turned `2130706433`, `0x7f.1` or `127.1` into
 * `127.0.0.1`, and `[::ffff:127.0.0.1]` into `[::ffff:7f00:1]`.
 */
export function createEgressGuard(options: EgressGuardOptions = {}): EgressGuard {
  const policy = createEgressPolicy(options);
  const dispatcher = new Agent({ connect: { lookup: createGuardedLookup(policy, options.resolve ?? systemResolver) } });
  return {
    async fetch(url, init) {
      const host = bareHost(url.hostname);
      if (isIP(host)) policy.assertAllowed(host, host);
      try {
        return await fetch(url, { ...init, dispatcher });
      } catch (error) {
        throw refusalIn(error) ?? error;
      }
    },
    async request(url, options) {
      const host = bareHost(url.hostname);
      if (isIP(host)) policy.assertAllowed(host, host);
      try {
        return await request(url, { ...options, dispatcher, maxRedirections: 0 });
      } catch (error) {
        throw refusalIn(error) ?? error;
      }
    },
    close: () => dispatcher.close(),
  };
}
