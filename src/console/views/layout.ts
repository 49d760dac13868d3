import type { Request, Response } from 'express';
import { getSession } from '../session/session-middleware';
import { renderTemplate } from './templates';
import { viewZone } from './view-zone';

export type Section =
  'contacts' | 'workflows' | 'runs' | 'calendars' | 'appointments' | 'links' | 'keys' | 'settings' | 'none';

const NAV: { section: Section; label: string; href: string }[] = [
  { section: 'contacts', label: 'Contacts', href: '/app/contacts' },
  { section: 'workflows', label: 'Workflows', href: '/app/workflows' },
  { section: 'runs', label: 'Runs', href: '/app/runs' },
  { section: 'calendars', label: 'Calendars', href: '/app/calendars' },
  { section: 'appointments', label: 'Appointments', href: '/app/appointments' },
  { section: 'links', label: 'One-time links', href: '/app/links' },
  { section: 'keys', label: 'API keys', href: '/app/keys' },
  { section: 'settings', label: 'Settings', href: '/app/settings' },
];

/** Messages a redirect after a form may ask for (`?notice=saved`); fixed texts, so nothing is reflected. */
const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  created: 'Created.',
  'tag-added': 'Tag added.',
  'tag-removed': 'Tag removed.',
  activated: 'The workflow is active.',
  deactivated: 'The workflow is now a draft: it enrols no one.',
  enrolled: 'Enrolled: the run starts in a moment.',
  cancelled: 'The run is cancelled.',
  'appointment-cancelled': 'The appointment is cancelled; its slot is free again.',
  retried: 'The run is being retried from its failed step.',
  revoked: 'The link is revoked.',
  minted: 'A new one-time link was generated.',
  'key-revoked': 'The API key is revoked.',
};

const HEAD = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{title}} · Linkflow</title>
<link rel="stylesheet" href="/app/assets/console.css">
<script src="/app/assets/console.js" defer></script>
</head>`;

/** The session's CSRF token, for the pages' scripts (the builder) to send as `X-CSRF-Token` to /api/v1. */
const CSRF_META = '<meta name="csrf-token" content="{{csrf}}">\n</head>';

const LAYOUT = `${HEAD.replace('</head>', CSRF_META)}
<body class="console">
<header class="topbar">
<a class="brand" href="/app">Linkflow</a>
<button type="button" class="menu-toggle" aria-expanded="false" aria-controls="console-nav">Menu</button>
<div class="nav-panel" id="console-nav">
<nav aria-label="Console">{{#each nav}}<a href="{{href}}"{{#if current}} aria-current="page"{{/if}}>{{label}}</a>{{/each}}
{{#if admin}}<a href="/admin/queues">Queues</a>{{/if}}</nav>
<form method="post" action="/app/logout" class="signout">{{> csrf}}
<button type="submit" class="link">Sign out</button></form>
</div>
</header>
<main>
{{#if notice}}{{#unless noticeInView}}<p class="notice" role="status">{{notice}}</p>{{/unless}}{{/if}}
{{{content}}}
</main>
<footer class="zone-note muted" data-zone-source="{{zoneSource}}">Times in {{viewZone}}
{{~#if viewerZone}} (your browser's zone){{/if}} · <a href="/app/settings">Change</a></footer>
</body>
</html>`;

const BARE_LAYOUT = `${HEAD}
<body class="console bare">
<main>
{{{content}}}
</main>
</body>
</html>`;

export interface PageOptions {
  title: string;
  section: Section;
  /** The page's body template and its values; `csrf` is added for its forms. */
  view: string;
  data?: object;
  /** Default 200. */
  status?: number;
  req?: Request;
  /** The view shows the `?notice=` message itself, as `{{notice}}` (a dialog: above its overlay). Default false. */
  noticeInView?: boolean;
}

/** Sends a console page in the layout with navigation; only behind requireSession. */
export function sendPage(res: Response, options: PageOptions): void {
  const session = getSession(res);
  const csrf = session.csrfToken;
  const noticeKey = options.req?.query.notice;
  const notice = typeof noticeKey === 'string' ? NOTICES[noticeKey] : undefined;
  // Every {{time}} of the page reads @root.viewZone: the account's zone, or the viewer's (view-zone.ts).
  const zone = viewZone(res, options.req);
  const content = renderTemplate(options.view, { notice, ...options.data, csrf, viewZone: zone.zone });
  const html = renderTemplate(LAYOUT, {
    title: options.title,
    csrf,
    admin: session.scope === 'admin',
    notice,
    noticeInView: options.noticeInView,
    nav: NAV.map((item) => ({ ...item, current: item.section === options.section })),
    viewZone: zone.zone,
    viewerZone: zone.source === 'viewer',
    // 'viewer-pending': the script sets the zone cookie and reloads once, so times are the viewer's.
    zoneSource: zone.viewerPending ? 'viewer-pending' : zone.source,
    content,
  });
  res
    .status(options.status ?? 200)
    .type('html')
    .send(html);
}

/** A page without navigation: sign-in, and errors shown to someone signed out. */
export function sendBarePage(
  res: Response,
  options: { title: string; view: string; data?: object; status?: number },
): void {
  const content = renderTemplate(options.view, options.data ?? {});
  res
    .status(options.status ?? 200)
    .type('html')
    .send(renderTemplate(BARE_LAYOUT, { title: options.title, content }));
}
