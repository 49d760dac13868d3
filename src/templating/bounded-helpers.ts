import type Handlebars from 'handlebars';
import type { RenderBudget } from './template-limits';

/**
 * The budget of the render in progress. Rendering is synchronous, so one module-level slot is
 * enough: it is set for the length of one render (withBudget) and nothing else runs meanwhile.
 * Outside a render (null) the wrapped helpers behave exactly as Handlebars' own.
 */
let current: RenderBudget | null = null;

/** Runs the synchronous `render` charging `budget`; the previous budget (if any) comes back after. */
export function withBudget<T>(budget: RenderBudget, render: () => T): T {
  const previous = current;
  current = budget;
  try {
    return render();
  } finally {
    current = previous;
  }
}

type Body = (this: unknown, ...args: unknown[]) => unknown;
type Helper = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A block body that charges the budget: one nesting level while it runs, one iteration per call
 * when it is a loop's body, and the output of all its calls so far against the output bound, so
 * that a loop is stopped as soon as its own output is too large rather than after the whole render.
 */
function chargedBody(budget: RenderBudget, body: Body, loop: boolean): Body {
  let produced = 0;
  return function (this: unknown, ...args: unknown[]) {
    if (loop) budget.spend();
    const output = budget.nested(() => body.apply(this, args));
    if (typeof output === 'string') {
      produced += output.length;
      budget.checkOutput(produced);
    }
    return output;
  };
}

function bounded(original: Helper, loop: boolean): Helper {
  return function (this: unknown, ...args: unknown[]) {
    const budget = current;
    const options = args[args.length - 1] as Partial<Handlebars.HelperOptions> | undefined;
    if (!budget || typeof options?.fn !== 'function') return original.apply(this, args);
    const charged: Partial<Handlebars.HelperOptions> = {
      ...options,
      fn: chargedBody(budget, options.fn as Body, loop) as never,
    };
    if (typeof options.inverse === 'function')
      charged.inverse = chargedBody(budget, options.inverse as Body, false) as never;
    return original.apply(this, [...args.slice(0, -1), charged]);
  };
}

interface PartialVm {
  invokePartial(this: unknown, partial: unknown, context: unknown, options: unknown): unknown;
}

/**
 * Makes the block helpers and partial calls of `hb` (a private instance) charge the current render's
 * budget. `each` is also what a block over a list (`{{#list}}…{{/list}}`) runs, so those loops are
 * counted too. Partials are charged through the instance's `VM.invokePartial`, the hook Handlebars
 * keeps overridable for this; a partial call costs one iteration and one nesting level, so partials
 * that call one another many times, or themselves forever, are stopped as loops are.
 */
export function installBoundedHelpers(hb: typeof Handlebars): void {
  const helpers = hb.helpers as Record<string, Helper>;
  // `unless` runs through `if`, so it is charged there.
  for (const [name, loop] of [
    ['each', true],
    ['with', false],
    ['if', false],
  ] as const) {
    const original = helpers[name];
    if (original) hb.registerHelper(name, bounded(original, loop));
  }
  const holder = hb as unknown as { VM: PartialVm };
  const vm = holder.VM;
  holder.VM = {
    ...vm,
    invokePartial(this: unknown, partial: unknown, context: unknown, options: unknown) {
      const budget = current;
      if (!budget) return vm.invokePartial.call(this, partial, context, options);
      budget.spend();
      const output = budget.nested(() => vm.invokePartial.call(this, partial, context, options));
      if (typeof output === 'string') budget.checkOutput(output.length);
      return output;
    },
  };
}
