import { hbs } from '../views/templates';
import { FUNNEL_PARTIAL } from './funnel/funnel-views';

export const WORKFLOW_LIST_VIEW = `<div class="spread"><h1>Workflows</h1>
<div class="row"><a class="button secondary" href="/app/workflows/new/yaml">New from YAML</a>
<a class="button" href="/app/workflows/new">New workflow</a></div></div>
<div class="table-scroll"><table>
<thead><tr><th>Workflow</th><th>Status</th><th>Trigger</th><th>Version</th><th>Active runs</th><th>Completed</th>
<th>Failed</th></tr></thead>
<tbody>
{{#each workflows}}<tr>
<td><a href="/app/workflows/{{id}}">{{name}}</a><br><code class="muted">{{slug}}</code>
{{~#if warnings.length}}<ul class="workflow-warnings" aria-label="Warnings of {{name}}">{{#each warnings~}}
<li data-path="{{path}}"><span class="status status-draft">Warning</span> {{message}}</li>{{/each}}</ul>{{/if}}</td>
<td><span class="status status-{{status}}">{{status}}</span></td>
<td><code>{{trigger.type}}</code></td><td>{{version}}</td>
<td>{{counts.active}}</td><td>{{counts.completed}}</td><td>{{#if counts.failed~}}
<a href="/app/runs?workflowId={{id}}&amp;status=failed">{{counts.failed}}</a>{{else}}0{{/if}}</td>
</tr>{{else}}<tr><td colspan="7" class="muted">No workflows yet.</td></tr>{{/each}}
</tbody>
</table></div>
{{#if nextHref}}<nav class="pager"><a href="{{nextHref}}" rel="next">Next page</a></nav>{{/if}}`;

/**
 * The editor: the definition in a textarea; after a Check or a refused Save, the text again with each
 * issue beside its line.
 */
export const EDITOR_PARTIAL = `<section class="card" id="editor">
<h2>{{#if isNew}}Definition{{else}}Edit the definition{{/if}}</h2>
{{#if checked}}{{#if issues.length}}<p class="issues" role="alert">{{issues.length}} problem(s) found; nothing was saved.</p>
{{~else}}<p class="notice" role="status">No problems found. Nothing was saved yet.</p>{{/if}}{{/if}}
{{#if generalIssues.length}}<ul class="issues">
{{~#each generalIssues}}<li>{{#if path}}<code>{{path}}</code>: {{/if}}{{message}}</li>{{/each}}</ul>{{/if}}
{{#if issues.length}}<ol class="source" aria-label="The definition with its problems">{{#each lines~}}
<li id="line-{{number}}"{{#if issues.length}} class="has-issue"{{/if}}><span class="ln">{{number}}</span><code>{{text}}</code>
{{~#each issues}}<span class="issue" data-line="{{line}}" data-path="{{path}}">
{{~!}}← line {{line}}: {{#if path}}<code>{{path}}</code> {{/if}}{{message}}</span>{{/each}}</li>{{/each}}</ol>{{/if}}
<form method="post" action="{{editorAction}}#editor">
{{> csrf}}
<label for="definition">Definition (YAML or JSON)</label>
<textarea class="code" id="definition" name="definition" spellcheck="false" autocapitalize="off">
{{source}}</textarea>
<p class="row"><button type="submit" name="intent" value="check" class="secondary">Check</button>
<button type="submit" name="intent" value="save">{{#if isNew}}Create{{else}}Save as version {{nextVersion}}{{/if}}</button></p>
</form>
</section>`;

export const WORKFLOW_NEW_VIEW = `<h1>New workflow</h1>
{{> editor}}`;

export const WORKFLOW_VIEW = `<div class="spread">
<h1>{{workflow.name}} <span class="status status-{{workflow.status}}">{{workflow.status}}</span></h1>
<form method="post" action="/app/workflows/{{workflow.id}}/status">{{> csrf}}
{{#if (eq workflow.status "active")}}<input type="hidden" name="status" value="draft">
<button type="submit" class="secondary">Deactivate</button>
{{else}}<input type="hidden" name="status" value="active"><button type="submit">Activate</button>{{/if}}
</form>
</div>
<p><a class="button" href="/app/workflows/{{workflow.id}}/edit">Edit in builder</a></p>
<p class="muted"><code>{{workflow.slug}}</code> · trigger <code>{{workflow.trigger.type}}</code> · version {{workflow.version}} ·
{{counts.active}} active, {{counts.completed}} completed, {{counts.failed}} failed ·
<a href="/app/runs?workflowId={{workflow.id}}">all runs</a></p>
{{#if enrolledRun}}<p class="notice">Enrolled: <a href="/app/runs/{{enrolledRun}}">run {{enrolledRun}}</a>.</p>{{/if}}
<h2>Graph</h2>
<div class="graph" id="graph">{{#if graph}}{{{graph}}}
{{~else}}<p class="muted">This version cannot be drawn: {{graphError}}</p>{{/if}}</div>
<p class="muted">Badges count the runs standing at a step now (running or waiting).</p>
{{#if funnel}}{{> funnel}}{{/if}}
<div class="grid-2">
<section class="card" id="enrol">
<h2>Enrol a contact by hand</h2>
{{#if (eq workflow.status "active")}}
<form method="post" action="/app/workflows/{{workflow.id}}/runs">{{> csrf}}
<label for="contact">Contact email or id</label><input type="text" id="contact" name="contact" required>
<p><button type="submit">Enrol</button></p>
</form>
{{else}}<p class="muted">A draft enrols no one; activate it first.</p>{{/if}}
</section>
<section class="card" id="versions">
<h2>Versions</h2>
<ul class="versions">{{#each versions~}}
<li><a href="/app/workflows/{{../workflow.id}}/versions/{{version}}">Version {{version}}</a> · {{time createdAt}}
{{~#if source}} · {{source}}{{/if}} · <code class="muted" title="sha256 of the definition">{{shortHash}}</code>
{{~#if (eq version ../workflow.version)}} <span class="status status-active">current</span>{{/if}}</li>{{/each}}</ul>
{{#if olderVersionsHref}}<nav class="pager"><a href="{{olderVersionsHref}}" rel="next">Older versions</a></nav>{{/if}}
</section>
</div>
{{> editor}}
<h2>Recent runs</h2>
<div class="table-scroll"><table><thead><tr><th>Run</th><th>Contact</th><th>Status</th><th>Step</th><th>Started</th></tr></thead><tbody>
{{#each runs}}<tr><td><a href="/app/runs/{{id}}">{{id}}</a> <span class="muted">v{{workflowVersion}}</span></td>
<td><a href="/app/contacts/{{contactId}}">{{contactLabel}}</a></td><td><span class="status status-{{status}}">{{status}}</span></td>
<td>{{currentStepId}}</td><td>{{time startedAt}}</td></tr>
{{else}}<tr><td colspan="5" class="muted">No runs yet.</td></tr>{{/each}}
</tbody></table></div>`;

/** One version of a workflow: its summary and its definition as YAML. */
export const WORKFLOW_VERSION_VIEW = `<p><a href="/app/workflows/{{workflow.id}}#versions">← {{workflow.name}}</a></p>
<h1>{{workflow.name}}, version {{version.version}}
{{~#if (eq version.version workflow.version)}} <span class="status status-active">current</span>{{/if}}</h1>
<p class="muted">Saved {{time version.createdAt}}
{{~#if version.source}} · through the {{#if (eq version.source "file")}}workflow files{{else}}API or console{{/if}}{{/if}}
{{~!}} · sha256 <code>{{version.hash}}</code></p>
<pre class="code">{{yaml}}</pre>`;

hbs.registerPartial('editor', EDITOR_PARTIAL);
hbs.registerPartial('funnel', FUNNEL_PARTIAL);
