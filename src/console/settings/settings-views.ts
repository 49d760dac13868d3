/** The account settings form; with `welcome`, the first sign-in's introduction above it. */
export const SETTINGS_VIEW = `{{#if welcome}}<section class="card welcome" aria-labelledby="welcome-heading">
<h1 id="welcome-heading">Welcome to Linkflow</h1>
<p>Tell us about your business: contacts see this name in emails, and every time in the console is
shown in your time zone. You can change these later under Settings.</p>
</section>{{else}}<h1>Settings</h1>{{/if}}
{{#if otherIssues.length}}<ul class="issues" role="alert">
{{~#each otherIssues}}<li>{{#if path}}<code>{{path}}</code>: {{/if}}{{message}}</li>{{/each}}</ul>{{/if}}
<form method="post" action="/app/settings" class="card settings-form" novalidate>
{{> csrf}}
{{#if welcome}}<input type="hidden" name="welcome" value="1">{{/if}}
<input type="hidden" name="next" value="{{next}}">
<fieldset><legend>Your business</legend>
<div class="grid-2">
<div><label for="name">Account name</label>
<input type="text" id="name" name="name" value="{{values.name}}" maxlength="200" required
 aria-describedby="name-hint{{#if fieldIssues.name}} name-issue{{/if}}"{{#if fieldIssues.name}} aria-invalid="true"{{/if}}>
{{~#if fieldIssues.name}}<span class="field-error" id="name-issue">{{fieldIssues.name}}</span>{{/if}}
<p class="muted" id="name-hint">Your business, as emails sign off and pages greet.</p></div>
<div><label for="timezone">Time zone</label>
<input type="text" id="timezone" name="timezone" value="{{values.timezone}}" list="zone-names" autocomplete="off"
spellcheck="false" required aria-describedby="timezone-hint{{#if fieldIssues.timezone}} timezone-issue{{/if}}"{{#if fieldIssues.timezone}} aria-invalid="true"{{/if}}>
<datalist id="zone-names">{{#each zones}}<option value="{{this}}">{{/each}}</datalist>
{{~#if fieldIssues.timezone}}<span class="field-error" id="timezone-issue">{{fieldIssues.timezone}}</span>{{/if}}
<p class="muted" id="timezone-hint">Type a city, e.g. Europe/Paris. Contacts without a zone of their own get this one.</p></div>
</div></fieldset>
<fieldset><legend>Emails to your contacts</legend>
<div class="grid-2">
<div><label for="senderName">Sender name</label>
<input type="text" id="senderName" name="senderName" value="{{values.senderName}}" maxlength="100"
placeholder="{{values.name}}" aria-describedby="senderName-hint{{#if fieldIssues.senderName}} senderName-issue{{/if}}"{{#if fieldIssues.senderName}} aria-invalid="true"{{/if}}>
{{~#if fieldIssues.senderName}}<span class="field-error" id="senderName-issue">{{fieldIssues.senderName}}</span>{{/if}}
<p class="muted" id="senderName-hint">Who emails are from in the inbox. Empty: the account name. The address stays {{fromAddress}}.</p></div>
<div><label for="replyTo">Reply-to address</label>
<input type="email" id="replyTo" name="replyTo" value="{{values.replyTo}}" maxlength="254" placeholder="you@example.com"
 aria-describedby="replyTo-hint{{#if fieldIssues.replyTo}} replyTo-issue{{/if}}"{{#if fieldIssues.replyTo}} aria-invalid="true"{{/if}}>
{{~#if fieldIssues.replyTo}}<span class="field-error" id="replyTo-issue">{{fieldIssues.replyTo}}</span>{{/if}}
<p class="muted" id="replyTo-hint">Where contacts' replies go. Empty: to {{fromAddress}}.</p></div>
</div></fieldset>
<fieldset class="zone-choice"><legend>Show times in</legend>
<label><input type="radio" name="consoleZone" value="account"{{#if (eq values.consoleZone "account")}} checked{{/if}}>
{{~!}} The account's time zone</label>
<label><input type="radio" name="consoleZone" value="viewer"{{#if (eq values.consoleZone "viewer")}} checked{{/if}}>
{{~!}} My browser's time zone</label>
{{#if fieldIssues.consoleZone}}<span class="field-error">{{fieldIssues.consoleZone}}</span>{{/if}}
</fieldset>
<button type="submit">{{#if welcome}}Save and continue{{else}}Save settings{{/if}}</button>
</form>`;
