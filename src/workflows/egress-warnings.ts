import { isIP } from 'node:net';
import type { Tx } from '../db/data-source';
import { bareHost, type EgressPolicy } from '../lib/egress/egress-policy';
import type { Logger } from '../lib/logger';
import { selectActiveWorkflowDefinitions } from './workflow-store';

/** An active workflow whose webhook steps name a host the egress guard refuses. */
export interface RefusedWebhookWorkflow {
  workflowId: string;
  accountId: string;
  slug: string;
  steps: string[];
  hosts: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The address a URL's host literally names: an IP, or loopback for `localhost` (which resolves there
 * by RFC 6761). Null for templated or unparsable URLs and for other names: no DNS at start-up.
 */
function literalAddress(url: string): { host: string; address: string } | null {
  let host: string;
  try {
    host = bareHost(new URL(url.trim()).hostname);
  } catch {
    return null;
  }
  if (isIP(host)) return { host, address: host };
  if (host === 'localhost' || host.endsWith('.localhost')) return { host, address: '127.0.0.1' };
  return null;
}

/** Webhook steps of one definition (as written: config beside the step's base fields) the policy refuses. */
function refusedSteps(definition: unknown, policy: EgressPolicy): { steps: string[]; hosts: string[] } {
  const steps: string[] = [];
  const hosts = new Set<string>();
  const list = isObject(definition) && Array.isArray(definition.steps) ? definition.steps : [];
  for (const step of list) {
    if (!isObject(step) || step.type !== 'webhook' || typeof step.url !== 'string') continue;
    const literal = literalAddress(step.url);
    if (!literal || !policy.refusal(literal.host, literal.address)) continue;
    steps.push(String(step.id));
    hosts.add(literal.host);
  }
  return { steps, hosts: [...hosts] };
}

/**
 * Upgrading to the egress guard must not fail silently: logs one warning for each active workflow
 * whose current version has a webhook to a literal private or loopback host that the guard will
 * now refuse at run time. Names resolved by DNS are not looked at. Returns what it warned about.
 */
export async function warnOfRefusedWebhooks(
  tx: Tx,
  options: { policy: EgressPolicy; logger: Pick<Logger, 'warn'> },
): Promise<RefusedWebhookWorkflow[]> {
  const found: RefusedWebhookWorkflow[] = [];
  for (const row of await selectActiveWorkflowDefinitions(tx)) {
    const { steps, hosts } = refusedSteps(row.definition, options.policy);
    if (steps.length === 0) continue;
    const workflow = { workflowId: row.id, accountId: row.account_id, slug: row.slug, steps, hosts };
    found.push(workflow);
    options.logger.warn(
      workflow,
      'active workflow has webhook steps to an internal host the egress guard refuses: set WEBHOOK_ALLOWED_HOSTS to allow it',
    );
  }
  return found;
}
