import Handlebars from 'handlebars';

/**
 * The console's own Handlebars instance: values are HTML-escaped, prototype access stays off, and
 * templates are compiled once, on first use.
 */
export const hbs = Handlebars.create();

const iso = (value: unknown): Date | null => {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
};

hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hbs.registerHelper('json', (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2)));
/** `2025-03-01 09:30:00 UTC`: one unambiguous zone for everyone reading the console. */
hbs.registerHelper('time', (value: unknown) => {
  const date = iso(value);
  return date ? `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';
});
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
hbs.registerPartial(
  'copyField',
  `<div class="copy-field"><input type="text" readonly id="{{id}}" value="{{value}}" aria-label="{{label}}">
{{~!}}<button type="button" class="secondary" data-copy="{{id}}">Copy</button></div>`,
);

/** One-time links of a contact or of the whole account; `links[]` carry calendarName and contactLabel. */
hbs.registerPartial(
  'linkTable',
  `<table class="links"><thead>
<tr><th>Link</th><th>Calendar</th><th>Contact</th><th>Status</th><th>Uses</th><th>Expires</th><th>Created</th><th></th></tr>
</thead><tbody>
{{#each links}}<tr data-link-id="{{id}}">
<td>{{#if (eq status "active")}}{{> copyField id=(concat "link-" id) value=url label="One-time link"}}
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
</tbody></table>`,
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
