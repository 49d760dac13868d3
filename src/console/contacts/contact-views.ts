export const CONTACT_LIST_VIEW = `<div class="spread"><h1>Contacts</h1>
<a class="button" href="/app/contacts/new">Add a contact</a></div>
<form method="get" action="/app/contacts" class="card row" role="search">
<label for="q" class="sr">Search</label>
<input type="search" id="q" name="q" value="{{q}}" placeholder="Email, name or phone">
<label for="tag">Tag</label>
<input type="search" id="tag" name="tag" value="{{tag}}" placeholder="any tag">
<button type="submit">Search</button>
{{#if filtered}}<a href="/app/contacts">Clear</a>{{/if}}
</form>
<table>
<thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Tags</th><th>Created</th></tr></thead>
<tbody>
{{#each contacts}}<tr>
<td><a href="/app/contacts/{{id}}">{{#if name}}{{name}}{{else}}(no name){{/if}}</a></td>
<td>{{email}}</td><td>{{phone}}</td>
<td>{{#each tags}}<span class="tag">{{this}}</span>{{/each}}</td>
<td>{{time createdAt}}</td>
</tr>{{else}}<tr><td colspan="5" class="muted">No contact matches.</td></tr>{{/each}}
</tbody>
</table>
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
<h2>Messages</h2>
{{#each messages}}<article class="card message" id="message-{{id}}">
<div class="spread"><strong>{{#if (eq channel "email")}}Email: {{subject}}{{else}}SMS{{/if}}</strong>
<span><span class="status status-{{status}}">{{status}}</span> {{time createdAt}}</span></div>
<p class="muted">To {{to}} · run <a href="/app/runs/{{runId}}">{{runId}}</a>, step {{stepId}}
{{~#if error}} · <span class="field-error">{{error}}</span>{{/if}}</p>
{{#if html}}<iframe class="email-preview" sandbox src="/app/messages/{{id}}/preview"
title="Preview of the email {{subject}}"></iframe>{{/if}}
{{#if text}}{{#if html}}<details><summary>Text version</summary><pre>{{text}}</pre></details>
{{~else}}<pre>{{text}}</pre>{{/if}}{{/if}}
{{#if body}}<pre class="sms">{{body}}</pre>{{/if}}
</article>{{else}}<p class="muted">No messages yet.</p>{{/each}}
<h2>Runs</h2>
<table><thead>
<tr><th>Workflow</th><th>Status</th><th>Current step</th><th>Started</th><th>Finished</th></tr>
</thead><tbody>
{{#each runs}}<tr><td><a href="/app/runs/{{id}}">{{workflowName}}</a> <span class="muted">v{{workflowVersion}}</span></td>
<td><span class="status status-{{status}}">{{status}}</span></td><td>{{currentStepId}}</td>
<td>{{time startedAt}}</td><td>{{time finishedAt}}</td></tr>
{{else}}<tr><td colspan="5" class="muted">No runs.</td></tr>{{/each}}
</tbody></table>
<h2>One-time links</h2>
{{> linkTable links=links returnTo=returnTo}}`;
