import Handlebars from 'handlebars';
import { z } from 'zod';
import { NonRetryableError } from '../lib/step-errors';
import { contextZone, toDateTime } from '../lib/time';
import { installBoundedHelpers, withBudget } from './bounded-helpers';
import { MAX_HTML_OUTPUT, MAX_TEXT_OUTPUT, RenderBudget, TemplateLimitError } from './template-limits';

/**
 * Handlebars for workflow templates: `{{contact.firstName}}`, `{{default x "there"}}`.
 * One private instance, so helpers registered here never leak into (or from) another user of
 * Handlebars. Prototype access stays disabled (the Handlebars default since 4.6): a template sees
 * only own properties of the run context.
 */
const hb = Handlebars.create();
installBoundedHelpers(hb);

/** Compiled templates kept per process, in each mode (HTML, text); past this, the least recently used goes. */
const CACHE_LIMIT = 1000;
/**
 * Keyed by the source itself, one map per mode: a source string of the template store is the same
 * string at every render, so its hash is computed once (a key built per render was hashed each time).
 */
const caches = {
  html: new Map<string, Handlebars.TemplateDelegate>(),
  text: new Map<string, Handlebars.TemplateDelegate>(),
};

type HelperOptions = Handlebars.HelperOptions;

const isOptions = (value: unknown): value is HelperOptions =>
  typeof value === 'object' && value !== null && 'hash' in value && 'data' in value;

const asText = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

hb.registerHelper('default', (value: unknown, fallback: unknown) =>
  value === null || value === undefined || value === '' || isOptions(value)
    ? isOptions(fallback)
      ? ''
      : fallback
    : value,
);
hb.registerHelper('upper', (value: unknown) => (isOptions(value) ? '' : asText(value).toUpperCase()));
hb.registerHelper('lower', (value: unknown) => (isOptions(value) ? '' : asText(value).toLowerCase()));
hb.registerHelper('capitalize', (value: unknown) => {
  const text = isOptions(value) ? '' : asText(value);
  return text.charAt(0).toUpperCase() + text.slice(1);
});
hb.registerHelper('json', (value: unknown) => (isOptions(value) || value === undefined ? '' : JSON.stringify(value)));

/** `{{formatDate value "fff" "Europe/Paris"}}`: format and zone are optional (default `fff`, the contact's zone). */
hb.registerHelper('formatDate', (...args: unknown[]) => {
  const options = args.pop() as HelperOptions;
  const [value, format, zone] = args;
  const root: unknown = (options.data as { root?: unknown } | undefined)?.root;
  const date = toDateTime(value, contextZone(root, zone));
  if (!date.isValid) return '';
  return date.setLocale('en-US').toFormat(typeof format === 'string' && format !== '' ? format : 'fff');
});

function compiled(source: string, html: boolean): Handlebars.TemplateDelegate {
  const cache = html ? caches.html : caches.text;
  const hit = cache.get(source);
  if (hit) {
    // Re-insert so the Map's insertion order doubles as recency: eviction drops the least recently used.
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const template = hb.compile(source, { noEscape: !html });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, template);
  return template;
}

/** Explicitly false (not just absent), so a denied lookup is also not warned about on the console. */
const DENY_PROTOTYPE: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

/**
 * The runtime options with `partials` compiled, once per partials object and mode: a template store's
 * `partials` is one object for the life of the process (and never changed), and every email renders
 * its subject, body and layout with it. Handlebars only reads these options.
 */
const runtimes = new WeakMap<object, { html?: Handlebars.RuntimeOptions; text?: Handlebars.RuntimeOptions }>();

function runtimeWithPartials(partials: Readonly<Record<string, string>>, html: boolean): Handlebars.RuntimeOptions {
  let byMode = runtimes.get(partials);
  if (!byMode) runtimes.set(partials, (byMode = {}));
  const mode = html ? 'html' : 'text';
  return (byMode[mode] ??= {
    ...DENY_PROTOTYPE,
    partials: Object.fromEntries(Object.entries(partials).map(([name, partial]) => [name, compiled(partial, html)])),
  });
}

export interface RenderOptions {
  /** Escape HTML in every `{{value}}` (email bodies). Default false: text as is (subjects, SMS, URLs). */
  html?: boolean;
  /** Sources of the partials `{{> name}}` may use, rendered in the same mode. Default: none. */
  partials?: Readonly<Record<string, string>>;
}

/**
 * Renders `source` over `context`. Any failure (a parse error, a missing helper) is a NonRetryableError;
 * a render past the bounds of template-limits.ts (loop iterations, nesting, output size: 256 KiB of
 * text, 1 MiB of HTML) is stopped as it happens, with a TemplateLimitError (non-retryable too).
 */
export function renderTemplate(source: string, context: object, options: RenderOptions = {}): string {
  const html = options.html === true;
  const budget = new RenderBudget(html ? MAX_HTML_OUTPUT : MAX_TEXT_OUTPUT);
  try {
    const runtime = options.partials ? runtimeWithPartials(options.partials, html) : DENY_PROTOTYPE;
    const output = withBudget(budget, () => compiled(source, html)(context, runtime));
    budget.checkOutput(output.length);
    return output;
  } catch (error) {
    if (error instanceof TemplateLimitError) throw error;
    throw new NonRetryableError(`template failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Throws the parser's message when `source` is not a valid template; for load-time checks. */
export function assertTemplateCompiles(source: string): void {
  hb.precompile(source);
}

/** A string that must be a valid template; checked when a definition loads, rendered when a step runs. */
export const templateString = z.string().superRefine((source, ctx) => {
  try {
    assertTemplateCompiles(source);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `not a valid template: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
});
