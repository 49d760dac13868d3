import Handlebars from 'handlebars';
import { canonicalZone } from '../../lib/time-zone';
import { formatDateTime, formatDuration, formatShortDateTime } from './time-format';

/**
 * The console's own Handlebars instance: values are HTML-escaped, prototype access stays off, and
 * templates are compiled once, on first use.
 */
export const hbs = Handlebars.create();

hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hbs.registerHelper('json', (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2)));
/**
 * The zone a page's times are written in: `viewZone` of the root context, which sendPage sets from
 * the account's setting (see view-zone.ts); UTC for a template rendered without one.
 */
const zoneOf = (options: unknown): string => {
  const root = (options as { data?: { root?: { viewZone?: unknown } } } | undefined)?.data?.root;
  return canonicalZone(root?.viewZone) ?? 'UTC';
};
/** `Fri 4 Dec 2026, 21:58 CET`, in the page's zone; '—' for none. */
hbs.registerHelper('time', (value: unknown, options: unknown) => formatDateTime(value, zoneOf(options)));
/** `Fri 4 Dec, 21:58 CET` (the year only when it is not this one), in the page's zone. */
hbs.registerHelper('shortTime', (value: unknown, options: unknown) => formatShortDateTime(value, zoneOf(options)));
/** Milliseconds in words: `350 ms`, `1 min 2 s`, `2 days 4 h`. */
hbs.registerHelper('duration', (ms: unknown) =>
  formatDuration(typeof ms === 'string' && ms.trim() !== '' ? Number(ms) : ms),
);
hbs.registerHelper('join', (list: unknown, separator: unknown) =>
  Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : '',
);
hbs.registerHelper('isUrl', (value: unknown) => typeof value === 'string' && /^https?:\/\/\S+$/.test(value));
hbs.registerPartial('csrf', '<input type="hidden" name="_csrf" value="{{@root.csrf}}">');
hbs.registerPartial(
  'issues',
  `{{#if issues.length}}<ul class="issues" role="alert">
{{#each issues}}<li>{{#if path}}<code>{{path}}</code>: {{/if}}{{message}}</li>{{/each}}
</ul>{{/if}}`,
);
/** A value shown whole (wrapping anywhere; one click selects it all) with a Copy button that copies it all. */
hbs.registerPartial(
  'copyField',
  `<div class="copy-field" role="group" aria-label="{{label}}"><code class="copy-value" id="{{id}}">{{value}}</code>
{{~!}}<button type="button" class="secondary" data-copy="{{id}}">Copy</button></div>`,
);

/** One-time links of a contact or of the whole account; `links[]` carry calendarName and contactLabel. */
hbs.registerPartial(
  'linkTable',
  `<div class="table-scroll"><table class="links"><thead>
<tr><th>Link</th><th>Calendar</th><th>Contact</th><th>Status</th><th>Uses</th><th>Expires</th><th>Created</th><th></th></tr>
</thead><tbody>
{{#each links}}<tr data-link-id="{{id}}">
<td class="link-cell">{{#if (eq status "active")}}{{> copyField id=(concat "link-" id) value=url label="One-time link"}}
{{else}}<span class="muted">{{id}}</span>{{/if}}</td>
<td>{{calendarName}}</td>
<td>{{#if contactId}}<a href="/app/contacts/{{contactId}}">{{contactLabel}}</a>{{else}}<span class="muted">anyone</span>{{/if}}</td>
<td><span class="status status-{{status}}">{{status}}</span></td><td>{{uses}} / {{maxUses}}</td>
<td>{{time expiresAt}}</td><td>{{time createdAt}}</td>
<td>{{#if (eq status "active")}}<form method="post" action="/app/links/{{id}}/revoke"
data-confirm="Revoke this link? Nobody will be able to book with it.">{{> csrf}}
<input type="hidden" name="returnTo" value="{{@root.returnTo}}"><button type="submit" class="danger">Revoke</button></form>
{{/if}}</td>
</tr>{{else}}<tr><td colspan="8" class="muted">No one-time links.</td></tr>{{/each}}
</tbody></table></div>`,
);
hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders a template (compiled on first use) with `context`. */
export function renderTemplate(source: string, context: object): string {
  let render = compiled.get(source);
  if (!render) {
    render = hbs.compile(source, { strict: false });
    compiled.set(source, render);
  }
  return render(context);
}
