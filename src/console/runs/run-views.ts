export const RUN_LIST_VIEW = `<h1>Runs</h1>
<form method="get" action="/app/runs" class="card row">
<label for="workflowId">Workflow</label>
<select id="workflowId" name="workflowId"><option value="">any</option>
{{~#each workflows}}<option value="{{id}}"{{#if selected}} selected{{/if}}>{{name}}</option>{{/each}}</select>
<label for="status">Status</label>
<select id="status" name="status"><option value="">any</option>
{{~#each statuses}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{value}}</option>{{/each}}</select>
<button type="submit">Filter</button>
</form>
<div class="table-scroll"><table><thead>
<tr><th>Run</th><th>Workflow</th><th>Contact</th><th>Status</th><th>Step</th><th>Started</th><th>Finished</th></tr>
</thead><tbody>
{{#each runs}}<tr><td><a href="/app/runs/{{id}}">{{id}}</a></td><td>{{workflowName}} <span class="muted">v{{workflowVersion}}</span></td>
<td><a href="/app/contacts/{{contactId}}">{{contactLabel}}</a></td>
<td><span class="status status-{{status}}">{{status}}</span>
{{~#if test}} <span class="status status-draft" title="Started by Test in the builder">Test</span>{{/if}}</td>
<td>{{currentStepId}}</td>
<td>{{time startedAt}}</td><td>{{time finishedAt}}</td></tr>
{{else}}<tr><td colspan="7" class="muted">No runs.</td></tr>{{/each}}
</tbody></table></div>
<nav class="pager">{{#if isLaterPage}}<a href="{{firstHref}}">First page</a>{{/if}}
{{~#if nextHref}}<a href="{{nextHref}}" rel="next">Next page</a>{{/if}}</nav>`;

export const RUN_VIEW = `<div class="spread">
<h1>Run <code>{{run.id}}</code> <span class="status status-{{run.status}}">{{run.status}}</span>
{{~#if run.test}} <span class="status status-draft" title="Started by Test in the builder">Test</span>{{/if}}</h1>
<div class="row">
{{#if canCancel}}<form method="post" action="/app/runs/{{run.id}}/cancel" data-confirm="Cancel this run?">{{> csrf}}
{{~!}}<button type="submit" class="danger">Cancel run</button></form>{{/if}}
{{#if canRetry}}<form method="post" action="/app/runs/{{run.id}}/retry">{{> csrf}}
{{~!}}<button type="submit">Retry from the failed step</button></form>{{/if}}
</div>
</div>
<dl class="fields card">
<dt>Workflow</dt><dd><a href="/app/workflows/{{run.workflowId}}">{{workflowName}}</a> (version {{run.workflowVersion}})</dd>
<dt>Contact</dt><dd><a href="/app/contacts/{{run.contactId}}">{{contactLabel}}</a></dd>
<dt>Trigger</dt><dd><code>{{run.trigger.type}}</code></dd>
<dt>Started</dt><dd>{{time run.startedAt}}</dd>
<dt>Finished</dt><dd>{{time run.finishedAt}}</dd>
{{#if run.currentStepId}}<dt>Current step</dt><dd><code>{{run.currentStepId}}</code></dd>{{/if}}
{{#if run.error}}<dt>Error</dt><dd class="field-error">{{run.error}}</dd>{{/if}}
</dl>
<h2>Timeline</h2>
<ol class="timeline" id="timeline">
{{#each steps}}<li class="card {{status}}" data-step="{{id}}">
<div class="spread"><strong><code>{{id}}</code> <span class="muted">{{type}}</span></strong>
<span class="status status-{{status}}">{{status}}</span></div>
<p class="muted">Attempts: {{attempts}} · started {{time startedAt}} · finished {{time finishedAt}}
{{~#if durationMs}} · took {{duration durationMs}}{{/if}}</p>
{{#if wait}}<p class="wait-summary">{{wait.plan}}{{#if wait.exits}} {{wait.exits}}{{/if}}</p>
{{~#if wait.outcome}}<p class="wait-outcome">{{wait.outcome}}</p>{{/if}}{{/if}}
{{#if error}}<p class="field-error step-error">{{error}}</p>{{/if}}
{{#if hasOutput}}<details{{#unless wait}} open{{/unless}}><summary>Output</summary><pre class="step-output">{{json output}}</pre></details>{{/if}}
</li>{{else}}<li class="muted">No step has started yet.</li>{{/each}}
</ol>
<details><summary>Trigger data</summary><pre>{{json run.trigger}}</pre></details>`;
