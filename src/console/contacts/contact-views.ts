export const CONTACT_LIST_VIEW = `<div class="spread"><h1>Contacts</h1>
<div class="row"><a class="button secondary" href="/app/contacts/import">Import contacts</a>
<a class="button" href="/app/contacts/new">Add a contact</a></div></div>
<form method="get" action="/app/contacts" class="card row" role="search">
<label for="q" class="sr">Search</label>
<input type="search" id="q" name="q" value="{{q}}" placeholder="Email, name or phone">
<label for="tag">Tag</label>
<input type="search" id="tag" name="tag" value="{{tag}}" placeholder="any tag">
<button type="submit">Search</button>
{{#if filtered}}<a href="/app/contacts">Clear</a>{{/if}}
</form>
{{#if contacts.length}}<form method="get" action="/app/contacts/bulk" class="row">
<input type="hidden" name="q" value="{{q}}"><input type="hidden" name="tag" value="{{tag}}">
<button type="submit" class="secondary">{{#if filtered}}Bulk action on every match{{else}}Bulk action on every contact{{/if}}</button>
<span class="muted">Add or remove a tag, or enrol in a workflow; you see what it does before it starts.</span>
</form>{{/if}}
<div class="table-scroll"><table>
<thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Tags</th><th>Created</th></tr></thead>
<tbody>
{{#each contacts}}<tr>
<td><a href="/app/contacts/{{id}}">{{#if name}}{{name}}{{else}}(no name){{/if}}</a></td>
<td>{{email}}</td><td>{{phone}}</td>
<td>{{#each tags}}<span class="tag">{{this}}</span>{{/each}}</td>
<td>{{time createdAt}}</td>
</tr>{{else}}<tr><td colspan="5" class="muted">No contact matches.</td></tr>{{/each}}
</tbody>
</table></div>
<nav class="pager" aria-label="Pages">{{#if isLaterPage}}<a href="{{firstHref}}">First page</a>{{/if}}
{{~#if nextHref}}<a href="{{nextHref}}" rel="next">Next page</a>{{/if}}</nav>`;

export const CONTACT_NEW_VIEW = `<h1>Add a contact</h1>
{{> issues}}
<form method="post" action="/app/contacts" class="card">
{{> csrf}}
<div class="grid-2">
<div><label for="email">Email</label><input type="email" id="email" name="email" value="{{values.email}}"></div>
<div><label for="phone">Phone (E.164)</label>
<input type="text" id="phone" name="phone" value="{{values.phone}}" placeholder="+14155550123"></div>
<div><label for="firstName">First name</label>
<input type="text" id="firstName" name="firstName" value="{{values.firstName}}"></div>
<div><label for="lastName">Last name</label>
<input type="text" id="lastName" name="lastName" value="{{values.lastName}}"></div>
</div>
<label for="tags">Tags (comma-separated; adding one may start workflows)</label>
<input type="text" id="tags" name="tags" value="{{values.tags}}">
<p><button type="submit">Create contact</button></p>
</form>`;

export const CONTACT_VIEW = `<div class="spread"><h1>{{title}}</h1><a href="/app/contacts">All contacts</a></div>
<div class="grid-2">
<section class="card">
<h2>Fields</h2>
<dl class="fields">
<dt>Email</dt><dd>{{contact.email}}
{{~#if contact.unsubscribedFromEmail}} <span class="status status-failed">unsubscribed</span>{{/if}}</dd>
<dt>Phone</dt><dd>{{contact.phone}}</dd>
<dt>First name</dt><dd>{{contact.firstName}}</dd>
<dt>Last name</dt><dd>{{contact.lastName}}</dd>
<dt>Time zone</dt><dd>{{contact.timezone}}</dd>
<dt>Do not disturb</dt><dd>{{#if contact.dnd}}yes{{else}}no{{/if}}</dd>
<dt>Created</dt><dd>{{time contact.createdAt}}</dd>
<dt>Updated</dt><dd>{{time contact.updatedAt}}</dd>
<dt>Id</dt><dd><code>{{contact.id}}</code></dd>
</dl>
</section>
<section class="card">
<h2>Tags</h2>
<div id="tags">{{#each contact.tags}}<span class="tag">{{this}}<form method="post"
action="/app/contacts/{{../contact.id}}/tags/remove" class="inline">{{> csrf}}<input type="hidden" name="tag" value="{{this}}">
{{~!}}<button type="submit" aria-label="Remove tag {{this}}" title="Remove">×</button></form></span>
{{~else}}<span class="muted">No tags.</span>{{/each}}</div>
<form method="post" action="/app/contacts/{{contact.id}}/tags" class="row">{{> csrf}}<label for="new-tag">Add a tag</label>
<input type="text" id="new-tag" name="tag" required maxlength="100"><button type="submit">Add</button></form>
<h2>Custom fields</h2>
{{#if customFields.length}}<dl class="fields" id="custom-fields">{{#each customFields~}}
<dt>{{name}}</dt><dd>{{#if (isUrl value)}}<a href="{{value}}" rel="noreferrer">{{value}}</a>{{else}}{{value}}{{/if}}</dd>
{{~/each}}</dl>{{else}}<p class="muted">None.</p>{{/if}}
</section>
</div>
<section aria-labelledby="timeline-heading">
<link rel="stylesheet" href="/app/assets/contact-timeline.css">
<h2 id="timeline-heading">Timeline</h2>
<ol class="tl" id="contact-timeline" aria-labelledby="timeline-heading" aria-live="polite"
{{~#unless isLaterPage}} data-poll="/app/contacts/{{contact.id}}/timeline"{{/unless}}>
{{{timelineHtml}}}
{{~#unless hasEntries}}<li class="tl-empty" data-empty>Nothing has happened with this contact yet.</li>{{/unless}}
</ol>
<p class="notice" id="timeline-more" hidden>More happened than this page shows at once: <a href="/app/contacts/{{contact.id}}">reload it</a>.</p>
<nav class="pager timeline-pager" aria-label="Timeline pages">{{#if isLaterPage}}<a href="{{newestHref}}">Newest</a>{{/if}}
{{~#if olderHref}}<a href="{{olderHref}}" rel="next">Older</a>{{/if}}</nav>
<script src="/app/assets/contact-timeline.js" defer></script>
</section>
<h2 id="one-time-links">One-time links</h2>
{{> linkTable links=links returnTo=returnTo}}`;
