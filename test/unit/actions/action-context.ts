import type { ActionContext } from '../../../src/actions/action';
import type { ActionDeps } from '../../../src/actions/action-deps';
import type { RunContext } from '../../../src/engine/action-contract';
import { renderTemplate } from '../../../src/templating/template';
import { createLogger } from '../../../src/lib/logger';

export interface ContextOptions<C> {
  config: C;
  context?: Partial<RunContext>;
  /** Only what the action under test uses. */
  deps?: Partial<ActionDeps>;
  accountId?: string;
  contactId?: string;
}

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    contact: { id: 'c1', firstName: 'Ada', email: 'ada@example.com', tags: ['vip'], customFields: {} },
    account: { id: 'a1', name: 'Acme', timezone: 'UTC' },
    workflow: { id: 'w1', slug: 'welcome', name: 'Welcome', version: 1 },
    run: { id: 'r1', startedAt: '2025-01-01T00:00:00.000Z' },
    trigger: { type: 'manual', data: {} },
    steps: {},
    ...overrides,
  };
}

/** A step context built by hand, the way the step processor builds it, for running one action. */
export function actionContext<C>(options: ContextOptions<C>): ActionContext<C> {
  const context = runContext(options.context);
  const runId = 'r1';
  return {
    config: options.config,
    step: { id: 'step1', type: 'test', config: {} },
    runId,
    accountId: options.accountId ?? context.account.id,
    contactId: options.contactId ?? String(context.contact.id),
    context,
    render: (template) => renderTemplate(template, context),
    idempotencyKey: `${runId}:step1`,
    attempt: 1,
    isLastAttempt: false,
    // Unit tests run actions that touch no dependency; integration tests pass real ones.
    deps: (options.deps ?? {}) as ActionDeps,
    log: createLogger({ level: 'silent', pretty: false }),
  };
}
