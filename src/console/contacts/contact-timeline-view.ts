import { createHash } from 'node:crypto';
import { renderTemplate } from '../views/templates';
import { encodeTimelineCursor } from './contact-timeline-cursor';
import { isoOf, type TimelineEntry } from './contact-timeline-entry';

/**
 * One entry of the contact timeline as HTML. The page renders its list with it and the poll answers
 * with it, so an entry added while the page is open reads exactly as it would after a reload. Each
 * `<li>` carries its place (`data-at`, `data-key`, `data-cursor` for the next poll) and a version,
 * so the page's script replaces an entry only when it changed. An email's preview frame is loaded
 * when it is opened, except the newest email's on the page: that one is loaded with the page, so
 * that its link can be checked at once.
 */
const ENTRY = `<li class="tl-entry tl-{{tone}}" data-key="{{key}}" data-at="{{at}}" data-cursor="{{cursor}}" data-version="{{version}}">
<div class="tl-head"><p class="tl-what"><strong>{{title}}</strong>
{{~#if link}} <a href="{{link.href}}">{{link.text}}</a>{{/if}}
{{~#if badge}} <span class="status status-{{badge.status}}">{{badge.label}}</span>{{/if}}
{{~#if test}} <span class="status status-draft" title="Started by Test in the builder">Test</span>{{/if}}</p>
<time class="tl-time" datetime="{{iso}}">{{time iso}}</time></div>
{{#each lines}}<p class="tl-detail">{{#each this}}{{#if when}}<time datetime="{{when}}">{{time when}}</time>{{else}}{{text}}{{/if}}{{/each}}</p>
{{/each}}
{{~#if reason}}<p class="tl-reason">{{reason}}</p>
{{/if}}
{{~#with preview}}{{#if (eq channel "email")}}<details class="tl-preview"><summary>Preview<span class="sr"> of the email {{subject}}</span></summary>
<iframe class="email-preview" sandbox src="/app/messages/{{messageId}}/preview"
title="Preview of the email {{subject}}"{{#unless @root.eager}} loading="lazy"{{/unless}}></iframe></details>
{{~else}}<pre class="tl-sms">{{body}}</pre>{{/if}}
{{/with}}</li>`;

/** An entry as the poll answers it: its place, what it is, and its HTML. */
export interface RenderedEntry {
  key: string;
  at: string;
  kind: TimelineEntry['kind'];
  event: string;
  version: string;
  html: string;
}

export function renderTimelineEntries(
  entries: readonly TimelineEntry[],
  options: {
    /** The zone `{{time}}` writes in (the page's: see views/view-zone.ts). */
    viewZone: string;
    loadNewestEmail?: boolean;
  },
): RenderedEntry[] {
  let eagerLeft = options.loadNewestEmail === true;
  return entries.map((entry) => {
    const version = createHash('sha256').update(JSON.stringify(entry)).digest('base64url').slice(0, 16);
    const eager = eagerLeft && entry.preview?.channel === 'email';
    if (eager) eagerLeft = false;
    const html = renderTemplate(ENTRY, {
      ...entry,
      iso: isoOf(entry.at),
      cursor: encodeTimelineCursor(entry),
      version,
      eager,
      viewZone: options.viewZone,
    });
    return { key: entry.key, at: entry.at, kind: entry.kind, event: entry.event, version, html };
  });
}
