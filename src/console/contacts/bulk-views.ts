/** Bulk actions on the contacts of a search: choose the action, check what it does, then its progress (JOB_PROGRESS_VIEW). */

export const BULK_FORM_VIEW = `<link rel="stylesheet" href="/app/assets/contact-import.css">
<div class="spread"><h1>Bulk action</h1><a href="{{backHref}}">Back to the search</a></div>
{{> issues}}
<p>On every contact matching {{searchText}}, now: contacts added later are left out.</p>
<form method="post" action="/app/contacts/bulk" class="card">
{{> csrf}}
<input type="hidden" name="q" value="{{q}}"><input type="hidden" name="searchTag" value="{{searchTag}}">
<fieldset><legend>Action</legend>
<label><input type="radio" name="action" value="add_tag"{{#if (eq values.action "add_tag")}} checked{{/if}}> Add a tag</label>
<label><input type="radio" name="action" value="remove_tag"{{#if (eq values.action "remove_tag")}} checked{{/if}}> Remove a tag</label>
<label><input type="radio" name="action" value="enrol"{{#if (eq values.action "enrol")}} checked{{/if}}> Enrol in a workflow</label>
</fieldset>
<label for="bulk-tag">Tag to add or remove</label>
<input type="text" id="bulk-tag" name="tag" value="{{values.tag}}" maxlength="100">
<label for="bulk-workflow">Workflow to enrol in</label>
<select id="bulk-workflow" name="workflowId">
<option value="">Choose an active workflow</option>
{{#each workflows}}<option value="{{id}}"{{#if (eq id ../values.workflowId)}} selected{{/if}}>{{name}}</option>{{/each}}
</select>
<p><button type="submit">Review</button></p>
</form>`;

export const BULK_CONFIRM_VIEW = `<link rel="stylesheet" href="/app/assets/contact-import.css">
<div class="spread"><h1>{{heading}}</h1><a href="/app/contacts">All contacts</a></div>
<p>Contacts matching {{searchText}}, as they matched when you asked.</p>
<section class="card preview" aria-labelledby="preview-heading">
<h2 id="preview-heading">Before you start</h2>
<ul>{{#each preview}}<li>{{this}}</li>{{/each}}</ul>
<form method="post" action="/app/contacts/bulk/{{id}}/start">{{> csrf}}
<p class="row"><button type="submit">{{startLabel}}</button>
<button type="submit" form="bulk-cancel" class="secondary">Cancel</button></p></form>
</section>
<form method="post" action="/app/contacts/bulk/{{id}}/cancel" id="bulk-cancel">{{> csrf}}</form>`;
