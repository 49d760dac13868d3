/** The CSV import's pages: choose a file, check the columns and what the tags will start, follow the progress. */

const IMPORT_ASSETS = `<link rel="stylesheet" href="/app/assets/contact-import.css">
<script src="/app/assets/contact-import.js" defer></script>`;

export const IMPORT_UPLOAD_VIEW = `${IMPORT_ASSETS}
<div class="spread"><h1>Import contacts</h1><a href="/app/contacts">All contacts</a></div>
{{> issues}}
<form method="post" action="/app/contacts/import" enctype="multipart/form-data" class="card import-form">
{{> csrf}}
<p>A CSV file with a header row, up to 100 MB (a spreadsheet's "Save as CSV"). Contacts are matched by email:
a row with a known email updates that contact, others are created. Empty cells change nothing, and an import
never clears do-not-disturb or an unsubscribe.</p>
<label for="import-file">CSV file</label>
<input type="file" id="import-file" name="file" accept=".csv,text/csv,text/plain" required>
<label for="import-tags">Tags (comma-separated, added to every contact of the file)</label>
<input type="text" id="import-tags" name="tags" value="{{values.tags}}" placeholder="webinar, spring-2026">
<p class="muted">Next you choose which column fills which field, and see which workflows the tags will start, before
anything is imported.</p>
<p><button type="submit">Upload and review</button></p>
</form>`;

/** `columns[]`: {index, name, samples, options[]: {value, label, selected}}; `preview`: sentences. */
export const IMPORT_CONFIRM_VIEW = `${IMPORT_ASSETS}
<div class="spread"><h1>Review the import</h1><a href="/app/contacts">All contacts</a></div>
{{> issues}}
<p>{{#if fileName}}<strong>{{fileName}}</strong>: {{/if}}{{rowsText}} and {{columns.length}} columns.
{{#if tags.length}}Tags added to every contact: {{#each tags}}<span class="tag">{{this}}</span>{{/each}}{{/if}}</p>
<form method="post" action="/app/contacts/import/{{id}}/start" id="import-start">
{{> csrf}}
<section class="card" aria-labelledby="columns-heading">
<h2 id="columns-heading">Columns</h2>
<div class="table-scroll"><table class="import-columns">
<thead><tr><th scope="col">Column in the file</th><th scope="col">First values</th><th scope="col">Imported as</th></tr></thead>
<tbody>
{{#each columns}}<tr><th scope="row">{{#if name}}{{name}}{{else}}<span class="muted">(no name)</span>{{/if}}</th>
<td class="samples">{{#each samples}}<span>{{this}}</span>{{/each}}</td>
<td><select name="column-{{index}}" aria-label="Import the column {{name}} as">
{{#each options}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}
</select></td></tr>
{{/each}}
</tbody></table></div>
</section>
<section class="card preview" aria-labelledby="preview-heading">
<h2 id="preview-heading">Before you start</h2>
<ul>{{#each preview}}<li>{{this}}</li>{{/each}}</ul>
<p class="row"><button type="submit">Start import</button>
<button type="submit" form="import-cancel" class="secondary">Cancel</button></p>
</section>
</form>
<form method="post" action="/app/contacts/import/{{id}}/cancel" id="import-cancel">{{> csrf}}</form>`;

/**
 * Progress of an import or a bulk action: a progress bar (`role=progressbar`, aria-valuenow 0–100)
 * and the counts, rendered as they are and then kept current by /app/assets/contact-import.js.
 */
export const JOB_PROGRESS_VIEW = `${IMPORT_ASSETS}
<div class="spread"><h1>{{heading}}</h1><a href="/app/contacts">All contacts</a></div>
<section class="card job-progress" data-progress-url="{{statusUrl}}" data-done="{{#if done}}true{{/if}}">
<p role="status" data-field="statusText">{{statusText}}</p>
<div class="progress-track" role="progressbar" aria-label="{{progressLabel}}" aria-valuemin="0" aria-valuemax="100"
aria-valuenow="{{percent}}" aria-valuetext="{{percent}} %, {{processedText}} of {{totalText}}">
<progress max="100" value="{{percent}}" aria-hidden="true"></progress></div>
<dl class="fields">
<dt>Done</dt><dd><span data-field="processed">{{processedText}}</span> of {{totalText}}</dd>
{{#each counts}}<dt>{{label}}</dt><dd data-field="{{field}}">{{value}}</dd>{{/each}}
</dl>
{{#if errorsHref}}<p data-show-when-failed{{#unless failed}} hidden{{/unless}}>
<a href="{{errorsHref}}" download>Download the rows that failed</a></p>{{/if}}
<p data-show-when-done{{#unless done}} hidden{{/unless}}><a href="{{doneHref}}">{{doneLabel}}</a></p>
<noscript><p><a href="{{pageHref}}">Reload</a> to see how far it got.</p></noscript>
</section>`;
