/**
 * Handlebars bodies of the public booking pages, rendered into layout.ts. Values are HTML-escaped.
 * No inline script or style, nothing from another origin: the Content-Security-Policy allows none
 * of them (the booking widget is a script file of our own, linked by layout.ts).
 */

/**
 * The slot picker: one-time link, scheduling page and reschedule page. Two plain forms that work
 * without JavaScript; the booking widget (/assets/client/booking.js) replaces #booking-widget's
 * content when it runs, reading its settings from the data-* attributes.
 */
export const SLOT_FORM = `<div class="card">
<h1>{{heading}}</h1>
<p class="muted">{{#if ownerName}}With {{ownerName}} · {{/if}}{{durationMinutes}} minutes</p>
{{#if current}}<p>Currently booked: <strong data-instant="{{current.iso}}">{{current.text}}</strong></p>{{/if}}
{{#if contact}}<p>Booking as <strong>{{contact.name}}</strong>{{#if contact.email}} ({{contact.email}}){{/if}}</p>{{/if}}
{{#if error}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/if}}
<div id="booking-widget" data-endpoint="{{action}}" data-zone="{{tz}}" data-until="{{until}}"
 data-done-heading="{{doneHeading}}"{{#if askName}} data-ask-name{{/if}}{{#if askPhone}} data-ask-phone{{/if}}>
<form method="get" action="{{action}}" class="zone-picker">
<label for="tz">Times are shown in</label>
<select id="tz" name="tz">
{{#each zones}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>
{{/each}}</select>
<button type="submit" class="secondary">Change time zone</button>
</form>
<form method="post" action="{{action}}" id="booking-form">
<input type="hidden" name="tz" value="{{tz}}">
{{#unless contact}}{{#if askName}}<label for="name">Your name</label>
<input type="text" id="name" name="name" autocomplete="name" required maxlength="200" value="{{values.name}}">
<label for="email">Your email</label>
<input type="email" id="email" name="email" autocomplete="email" required maxlength="254" value="{{values.email}}">
{{#if askPhone}}<label for="phone">Your phone</label>
<input type="tel" id="phone" name="phone" autocomplete="tel" required maxlength="40" value="{{values.phone}}"
 aria-describedby="phone-hint">
<p class="muted hint" id="phone-hint">With the country code, like +1 415 555 0123</p>
{{/if}}{{/if}}{{/unless}}
{{#each days}}<fieldset class="slots">
<legend>{{label}}</legend>
{{#each slots}}<label class="slot"><input type="radio" name="start" value="{{start}}" required
{{#if checked}} checked{{/if}}><span>{{label}}</span></label>
{{/each}}</fieldset>
{{else}}<p class="muted">No free times on these dates.</p>
{{/each}}
<nav class="pager" aria-label="Dates">
{{#if previous}}<a href="{{previous}}">← Earlier dates</a> {{/if}}
{{#if next}}<a href="{{next}}">Later dates →</a>{{/if}}
</nav>
{{#if hasSlots}}<button type="submit">{{submitLabel}}</button>{{/if}}
</form>
</div>
</div>`;

/** After a booking or a reschedule: the time, and the person's own reschedule and cancel links. */
export const CONFIRMATION = `<div class="card">
<h1>{{heading}}</h1>
<p><strong id="appointment-time">{{when}}</strong></p>
<p>{{calendarName}}{{#if ownerName}} with {{ownerName}}{{/if}} · {{durationMinutes}} minutes</p>
<section class="add-to-calendar" aria-labelledby="add-to-calendar">
<h2 id="add-to-calendar">Add to calendar</h2>
<p class="calendar-links"><a class="button secondary" href="{{icsUrl}}" download>Calendar file (.ics)</a>
<a class="button secondary" href="{{googleCalendarUrl}}" target="_blank" rel="noopener">Google Calendar</a></p>
</section>
<p class="muted">Keep these links to change your plans:</p>
<p><a id="reschedule-link" href="{{rescheduleUrl}}">Reschedule</a> ·
<a id="cancel-link" href="{{cancelUrl}}">Cancel</a></p>
</div>`;

/**
 * A used, expired or revoked link (410) and an unknown one (404) read the same; only the contact line
 * may differ.
 */
export const EXPIRED = `<div class="card">
<h1>This link has expired</h1>
<p>This link has expired and can no longer be used to book.</p>
<p>{{#if contactName}}Please contact {{contactName}}
{{~#if contactEmail}} at <a href="mailto:{{contactEmail}}">{{contactEmail}}</a>{{/if}} to find a time.
{{else}}{{#if contactEmail}}Please contact <a href="mailto:{{contactEmail}}">{{contactEmail}}</a> to find a time.
{{else}}Please contact the person who sent it to you to find a time.{{/if}}{{/if}}</p>
</div>`;

/** GET of a cancel link: asks before anything changes (mail scanners open every link). */
export const CANCEL_FORM = `<div class="card">
<h1>Cancel your appointment?</h1>
<p><strong>{{when}}</strong></p>
<p>{{calendarName}}{{#if ownerName}} with {{ownerName}}{{/if}}</p>
<form method="post" action="{{action}}">
<input type="hidden" name="tz" value="{{tz}}">
<button type="submit" id="cancel-button">Cancel appointment</button>
</form>
<p class="muted"><a href="{{rescheduleUrl}}">Pick another time instead</a></p>
</div>`;

export const CANCELLED = `<div class="card">
<h1>Your appointment is cancelled</h1>
<p>{{calendarName}}, {{when}}, is cancelled. The time is free again.</p>
</div>`;

export const TOO_MANY = `<div class="card">
<h1>Too many requests</h1>
<p>Please wait a minute and try again.</p>
</div>`;
