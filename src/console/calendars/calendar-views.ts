import { hbs } from '../views/templates';

export const CALENDAR_LIST_VIEW = `<div class="spread"><h1>Calendars</h1>
<a class="button" href="/app/calendars/new">New calendar</a></div>
<div class="table-scroll"><table><thead><tr><th>Calendar</th><th>Duration</th><th>Time zone</th><th>Owner</th><th></th></tr></thead><tbody>
{{#each calendars}}<tr data-calendar="{{slug}}">
<td><a href="/app/calendars/{{id}}">{{name}}</a><br><code class="muted">{{slug}}</code></td>
<td>{{durationMinutes}} min</td><td>{{timezone}}</td>
<td>{{ownerName}}{{#if ownerEmail}} &lt;{{ownerEmail}}&gt;{{/if}}</td>
<td>{{!-- A popover, in the top layer: the scrolling table cannot clip it; Escape and a click outside close it. --}}
<button type="button" class="menu-button" popovertarget="calendar-menu-{{id}}" aria-label="Menu of {{name}}">⋯</button>
<div class="menu-items" id="calendar-menu-{{id}}" popover>
<a href="/app/calendars/{{id}}/share">Share</a>
<a href="/app/calendars/{{id}}">Edit</a>
<a href="/app/links?calendarId={{id}}">One-time links</a>
<a href="/app/appointments?calendarId={{id}}">Appointments</a>
</div></td>
</tr>{{else}}<tr><td colspan="5" class="muted">No calendars yet.</td></tr>{{/each}}
</tbody></table></div>`;

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
<fieldset class="notifications"><legend>Emails when someone books, reschedules or cancels</legend>
<label><input type="checkbox" name="notifyConfirmation" value="on"{{#if form.notifications.confirmation}} checked{{/if}}>
{{~!}} Email a confirmation to the contact</label>
<label><input type="checkbox" name="notifyOwner" value="on"{{#if form.notifications.ownerNotice}} checked{{/if}}>
{{~!}} Email a notice to the calendar's owner</label>
</fieldset>
<fieldset class="booking-form"><legend>What a visitor is asked</legend>
<label><input type="checkbox" name="askPhone" value="on" aria-describedby="askPhone-hint"{{#if form.askPhone}} checked{{/if}}>
{{~!}} Ask for a phone number</label>
<p class="muted" id="askPhone-hint">Name and email are always asked where the link has no contact; with this, a phone number too (required).</p>
</fieldset>
<h2>Availability (in the calendar's time zone)</h2>
<div class="table-scroll"><table class="availability"><thead>
<tr><th>Day</th><th>Available</th><th>From</th><th>To</th><th></th></tr>
</thead><tbody>
{{#each form.days}}{{#each rows}}<tr>
<th scope="row">{{../label}}</th>
<td><input type="checkbox" id="{{key}}_on" name="{{key}}_on" value="on"{{#if on}} checked{{/if}} aria-label="{{../label}} available"></td>
<td><input type="time" name="{{key}}_start" value="{{start}}" aria-label="{{../label}} from"></td>
<td><input type="time" name="{{key}}_end" value="{{end}}" aria-label="{{../label}} to"></td>
<td>{{#if issue}}<span class="field-error">{{issue}}</span>{{/if}}</td>
</tr>{{/each}}{{/each}}
</tbody></table></div>
<p><button type="submit">{{submitLabel}}</button></p>
</form>
{{#if calendar}}<h2>Upcoming appointments</h2>{{> appointmentTable}}{{/if}}`;

export const APPOINTMENT_TABLE = `<div class="table-scroll"><table><thead>
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
</tbody></table></div>`;

export const APPOINTMENTS_VIEW = `<h1>Upcoming appointments{{#if calendarName}}: {{calendarName}}{{/if}}</h1>
{{> appointmentTable}}`;

const TAB = (tab: string, label: string): string =>
  `<a role="tab" href="/app/calendars/{{calendar.id}}/share?tab=${tab}"
aria-selected="{{#if (eq tab "${tab}")}}true{{else}}false{{/if}}">${label}</a>`;

const ONE_TIME_TAB = `<p>A link that books {{#if (eq oneTime.maxUses 1)}}once{{else}}{{oneTime.maxUses}} times{{/if}}, then stops working.
{{~#if oneTime.contactId}} It books as {{oneTime.contactLabel}}.{{/if}}</p>
{{> copyField id="share-one-time" value=oneTime.url label="One-time link"}}
<p class="muted">For {{#if oneTime.contactId}}<a href="/app/contacts/{{oneTime.contactId}}">{{oneTime.contactLabel}}</a>
{{~else}}anyone{{/if}} · expires {{time oneTime.expiresAt}} · {{oneTime.uses}} / {{oneTime.maxUses}} used
{{~#unless (eq oneTime.status "active")}} · <span class="status status-{{oneTime.status}}">{{oneTime.status}}</span>{{/unless}}</p>
<h2>A new link</h2>
{{> issues}}
<form method="post" action="/app/calendars/{{calendar.id}}/share/one-time-link" class="link-options" novalidate>{{> csrf}}
<div><label for="link-expires">Valid for</label>
<select id="link-expires" name="expiresIn">{{#each form.expiryOptions}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select>
{{~#if fieldIssues.expiresIn}}<span class="field-error">{{fieldIssues.expiresIn}}</span>{{/if}}</div>
<div><label for="link-uses">Bookings allowed</label>
<input type="number" id="link-uses" name="maxUses" min="1" max="1000" step="1" inputmode="numeric" value="{{form.maxUses}}">
{{~#if fieldIssues.maxUses}}<span class="field-error">{{fieldIssues.maxUses}}</span>{{/if}}</div>
<div><label for="link-contact">For contact <span class="muted">(optional)</span></label>
<input type="search" id="link-contact" name="contact" value="{{form.contact}}" list="link-contact-options"
autocomplete="off" placeholder="email or name" data-contact-picker="/app/pickers/contacts" aria-describedby="link-contact-hint">
<datalist id="link-contact-options"></datalist>
{{~#if fieldIssues.contact}}<span class="field-error">{{fieldIssues.contact}}</span>{{/if}}
<span class="hint" id="link-contact-hint">Empty: anyone can book with it.</span></div>
<p class="actions"><button type="submit" id="generate-link">Generate New Link</button></p>
</form>`;

const EMBED_FORM = (key: string, heading: string, explanation: string): string => `<section class="embed-form">
<h2 id="embed-${key}-title">${heading}</h2><p class="muted">${explanation}</p>
<div class="copy-field"><textarea readonly id="share-embed${key === 'inline' ? '' : `-${key}`}" rows="3"
aria-label="${heading} code" aria-describedby="embed-${key}-title">{{embed.${key}}}</textarea>
{{~!}}<button type="button" class="secondary" data-copy="share-embed${key === 'inline' ? '' : `-${key}`}">Copy</button></div>
</section>`;

/**
 * The Share dialog: a page drawn as a dialog over a backdrop, its tabs plain links (no script needed).
 * Its head (title, Close) stays in view and its body scrolls; messages show inside it, above the overlay.
 */
export const SHARE_VIEW = `<div class="backdrop"><section class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" tabindex="-1">
<div class="dialog-head"><h1 id="share-title">Share {{calendar.name}}</h1>
<a class="button secondary close" href="/app/calendars" aria-label="Close" data-close>Close ✕</a></div>
<div class="dialog-status" role="status" data-status>{{#if notice}}<p class="notice">{{notice}}</p>{{/if}}</div>
<nav class="tabs" role="tablist">${TAB('scheduling', 'Scheduling Link')}${TAB('permanent', 'Permanent Link')}
{{~!}}${TAB('one-time', 'One Time Link')}${TAB('embed', 'Embed Code')}</nav>
<div class="dialog-body" role="tabpanel">
{{#if (eq tab "scheduling")}}<p>Anyone with this link can book; it follows the calendar's slug.</p>
{{~> copyField id="share-scheduling" value=links.scheduling label="Scheduling link"}}{{/if}}
{{#if (eq tab "permanent")}}<p>Like the scheduling link, but by the calendar's id: it keeps working if the slug changes.</p>
{{~> copyField id="share-permanent" value=links.permanent label="Permanent link"}}{{/if}}
{{#if (eq tab "one-time")}}${ONE_TIME_TAB}{{/if}}
{{#if (eq tab "embed")}}<p>Put the booking page on your own site, in one of three ways.</p>
${EMBED_FORM('inline', 'Inline', 'The booking page inside your page, where you paste this.')}
${EMBED_FORM('popup', 'Popup button', 'A “Book a time” button that opens the booking page over your page.')}
${EMBED_FORM('link', 'Plain link', 'A link to the booking page, for a menu, an email or a social profile.')}{{/if}}
</div>
</section></div>`;

hbs.registerPartial('appointmentTable', APPOINTMENT_TABLE);
