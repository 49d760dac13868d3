/**
 * The workflow page's funnel (`funnel`: a FunnelSection): a period picker (a GET form, no script),
 * the steps chart and, for a workflow that mints one-time links, minted → opened → booked. Each
 * chart is an image to screen readers; the table after it (visually hidden) gives its numbers.
 */
export const FUNNEL_PARTIAL = `<section class="card funnel" id="funnel" aria-labelledby="funnel-heading">
<div class="spread"><h2 id="funnel-heading">Funnel</h2>
<form method="get" action="/app/workflows/{{workflow.id}}#funnel" class="row funnel-period">
<label for="funnel-period">Period</label><select id="funnel-period" name="period">
{{~#each funnel.periods}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select>
<button type="submit" class="secondary">Show</button></form></div>
<p class="muted">Runs started in the {{funnel.periodText}}, test runs left out: how many reached each step and how
they stand there now.</p>
{{#if funnel.empty}}<p class="muted">No run started in the {{funnel.periodText}}.</p>{{else}}
<ul class="funnel-legend">{{#each funnel.outcomes~}}
<li><span class="swatch funnel-{{this}}"></span>{{this}}</li>{{/each}}</ul>
<div class="funnel-figure">{{{funnel.stepsChart}}}</div>
<table class="sr"><caption>Runs at each step, {{funnel.periodText}}</caption>
<thead><tr><th scope="col">Step</th><th scope="col">Reached</th><th scope="col">Completed</th><th scope="col">Waiting</th>
<th scope="col">Failed</th><th scope="col">Skipped</th><th scope="col">Cancelled</th></tr></thead>
<tbody>{{#each funnel.steps}}<tr><th scope="row">{{name}}</th><td>{{reached}}</td><td>{{completed}}</td>
<td>{{waiting}}</td><td>{{failed}}</td><td>{{skipped}}</td><td>{{cancelled}}</td></tr>{{/each}}</tbody></table>
{{#if funnel.links}}<h3>One-time links</h3>
<div class="funnel-figure">{{{funnel.links.chart}}}</div>
<table class="sr"><caption>One-time links, {{funnel.periodText}}</caption>
<thead><tr><th scope="col">Minted</th><th scope="col">Page opened</th><th scope="col">Booked</th></tr></thead>
<tbody><tr><td>{{funnel.links.minted}}</td><td>{{funnel.links.opened}} ({{funnel.links.openedShare}})</td>
<td>{{funnel.links.booked}} ({{funnel.links.bookedShare}})</td></tr></tbody></table>
<p class="muted">“Opened” counts the first time each link’s booking page was opened.
Mail scanners and link previews open links too, so it can count more people than really looked.
Opening a page never uses up a link.</p>
{{/if}}{{/if}}
</section>`;
