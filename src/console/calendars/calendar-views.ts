import { hbs } from '../views/templates';

export const CALENDAR_LIST_VIEW = `<div class="spread"><h1>Calendars</h1>
<a class="button" href="/app/calendars/new">New calendar</a></div>
<table><thead><tr><th>Calendar</th><th>Duration</th><th>Time zone</th><th>Owner</th><th></th></tr></thead><tbody>
{{#each calendars}}<tr data-calendar="{{slug}}">
<td><a href="/app/calendars/{{id}}">{{name}}</a><br><code class="muted">{{slug}}</code></td>
<td>{{durationMinutes}} min</td><td>{{timezone}}</td>
<td>{{ownerName}}{{#if ownerEmail}} &lt;{{ownerEmail}}&gt;{{/if}}</td>
<td><details class="menu"><summary aria-label="Menu of {{name}}">⋯</summary><div class="menu-items">
<a href="/app/calendars/{{id}}/share">Share</a>
<a href="/app/calendars/{{id}}">Edit</a>
<a href="/app/links?calendarId={{id}}">One-time links</a>
<a href="/app/appointments?calendarId={{id}}">Appointments</a>
</div></details></td>
</tr>{{else}}<tr><td colspan="5" class="muted">No calendars yet.</td></tr>{{/each}}
</tbody></table>`;

export const CALENDAR_FORM_VIEW = `<div class="spread"><h1>{{heading}}</h1>
{{~#if calendar}}<a class="button secondary" href="/app/calendars/{{calendar.id}}/share">Share</a>{{/if}}</div>
{{#if form.otherIssues.length}}<ul class="issues">
{{~#each form.otherIssues}}<li>{{#if path}}<code>{{path}}</code>: {{/if}}{{message}}</li>{{/each}}</ul>{{/if}}
<form method="post" action="{{action}}" class="card" id="calendar-form">
{{> csrf}}
<div class="grid-2">
<div><label for="name">Name</label>
<input type="text" id="name" name="name" value="{{form.values.name}}" required>
{{~#if form.fieldIssues.name}}<span class="field-error">{{form.fieldIssues.name}}</span>{{/if}}</div>
<div><label for="slug">Slug (the scheduling link's address)</label>
<input type="text" id="slug" name="slug" value="{{form.values.slug}}" placeholder="derived from the name">
{{~#if form.fieldIssues.slug}}<span class="field-error">{{form.fieldIssues.slug}}</span>{{/if}}</div>
<div><label for="timezone">Time zone</label>
<select id="timezone" name="timezone">
{{~#each timezones}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{value}}</option>{{/each}}</select>
{{~#if form.fieldIssues.timezone}}<span class="field-error">{{form.fieldIssues.timezone}}</span>{{/if}}</div>
<div><label for="durationMinutes">Duration (minutes)</label>
<input type="number" id="durationMinutes" name="durationMinutes" min="5" max="720" value="{{form.values.durationMinutes}}">
{{~#if form.fieldIssues.durationMinutes}}<span class="field-error">{{form.fieldIssues.durationMinutes}}</span>{{/if}}</div>
<div><label for="bookingWindowDays">Bookable up to (days ahead)</label>
<input type="number" id="bookingWindowDays" name="bookingWindowDays" min="1" max="365" value="{{form.values.bookingWindowDays}}">
{{~#if form.fieldIssues.bookingWindowDays}}<span class="field-error">{{form.fieldIssues.bookingWindowDays}}</span>{{/if}}</div>
<div><label for="minNoticeMinutes">Minimum notice (minutes)</label>
<input type="number" id="minNoticeMinutes" name="minNoticeMinutes" min="0" value="{{form.values.minNoticeMinutes}}">
{{~#if form.fieldIssues.minNoticeMinutes}}<span class="field-error">{{form.fieldIssues.minNoticeMinutes}}</span>{{/if}}</div>
<div><label for="ownerName">Owner name</label>
<input type="text" id="ownerName" name="ownerName" value="{{form.values.ownerName}}">
{{~#if form.fieldIssues.ownerName}}<span class="field-error">{{form.fieldIssues.ownerName}}</span>{{/if}}</div>
<div><label for="ownerEmail">Owner email</label>
<input type="email" id="ownerEmail" name="ownerEmail" value="{{form.values.ownerEmail}}">
{{~#if form.fieldIssues.ownerEmail}}<span class="field-error">{{form.fieldIssues.ownerEmail}}</span>{{/if}}</div>
</div>
<h2>Availability (in the calendar's time zone)</h2>
<table class="availability"><thead>
<tr><th>Day</th><th>Available</th><th>From</th><th>To</th><th></th></tr>
</thead><tbody>
{{#each form.days}}{{#each rows}}<tr>
<th scope="row">{{../label}}</th>
<td><input type="checkbox" id="{{key}}_on" name="{{key}}_on" value="on"{{#if on}} checked{{/if}} aria-label="{{../label}} available"></td>
<td><input type="time" name="{{key}}_start" value="{{start}}" aria-label="{{../label}} from"></td>
<td><input type="time" name="{{key}}_end" value="{{end}}" aria-label="{{../label}} to"></td>
<td>{{#if issue}}<span class="field-error">{{issue}}</span>{{/if}}</td>
</tr>{{/each}}{{/each}}
</tbody></table>
<p><button type="submit">{{submitLabel}}</button></p>
</form>
{{#if calendar}}<h2>Upcoming appointments</h2>{{> appointmentTable}}{{/if}}`;

export const APPOINTMENT_TABLE = `<table><thead>
<tr><th>When</th><th>Calendar</th><th>Contact</th><th>Status</th><th></th></tr>
</thead><tbody>
{{#each appointments}}<tr><td>{{time start}} – {{time end}}</td>
<td><a href="/app/calendars/{{calendarId}}">{{calendarName}}</a></td>
<td><a href="/app/contacts/{{contactId}}">{{contactLabel}}</a></td>
<td><span class="status status-{{status}}">{{status}}</span></td>
<td><form method="post" action="/app/appointments/{{id}}/cancel"
data-confirm="Cancel this appointment? The slot becomes free again.">{{> csrf}}
{{~!}}<button type="submit" class="secondary">Cancel</button></form></td></tr>
{{else}}<tr><td colspan="5" class="muted">No upcoming appointments.</td></tr>{{/each}}
</tbody></table>`;

export const APPOINTMENTS_VIEW = `<h1>Upcoming appointments{{#if calendarName}}: {{calendarName}}{{/if}}</h1>
{{> appointmentTable}}`;

const TAB = (tab: string, label: string): string =>
  `<a role="tab" href="/app/calendars/{{calendar.id}}/share?tab=${tab}"
aria-selected="{{#if (eq tab "${tab}")}}true{{else}}false{{/if}}">${label}</a>`;

/** The Share dialog: a page drawn as a dialog over a backdrop, its tabs plain links (no script needed). */
export const SHARE_VIEW = `<div class="backdrop"><section class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-title">
<div class="spread"><h1 id="share-title">Share {{calendar.name}}</h1>
<a href="/app/calendars" aria-label="Close">Close ✕</a></div>
<nav class="tabs" role="tablist">${TAB('scheduling', 'Scheduling Link')}${TAB('permanent', 'Permanent Link')}
{{~!}}${TAB('one-time', 'One Time Link')}${TAB('embed', 'Embed Code')}</nav>
<div role="tabpanel">
{{#if (eq tab "scheduling")}}<p>Anyone with this link can book; it follows the calendar's slug.</p>
{{~> copyField id="share-scheduling" value=links.scheduling label="Scheduling link"}}{{/if}}
{{#if (eq tab "permanent")}}<p>Like the scheduling link, but by the calendar's id: it keeps working if the slug changes.</p>
{{~> copyField id="share-permanent" value=links.permanent label="Permanent link"}}{{/if}}
{{#if (eq tab "one-time")}}<p>A link that books once, then expires (in 7 days if unused).</p>
{{#if oneTime}}{{> copyField id="share-one-time" value=oneTime.url label="One-time link"}}
{{~!}}<p class="muted">Expires {{time oneTime.expiresAt}} · {{oneTime.uses}} / {{oneTime.maxUses}} used</p>
{{~else}}<p class="muted">No unused one-time link yet.</p>{{/if}}
<form method="post" action="/app/calendars/{{calendar.id}}/share/one-time-link">{{> csrf}}
{{~!}}<button type="submit" id="generate-link">Generate New Link</button></form>{{/if}}
{{#if (eq tab "embed")}}<p>Paste this into a web page to show the booking page in it.</p>
<div class="copy-field"><textarea readonly id="share-embed" aria-label="Embed code">{{links.embed}}</textarea>
{{~!}}<button type="button" class="secondary" data-copy="share-embed">Copy</button></div>{{/if}}
</div>
</section></div>`;

hbs.registerPartial('appointmentTable', APPOINTMENT_TABLE);
