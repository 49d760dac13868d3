import { Router } from 'express';

/**
 * The contact page's timeline: its stylesheet and its script, served from our origin at
 * /app/assets/contact-timeline.{css,js} and linked from that page only (the CSP allows no inline
 * style or script).
 *
 * The script keeps the timeline current while the page is visible: every POLL_MS it asks
 * `GET <data-poll>?after=<cursor of the newest entry>` and gets back, as rendered entries, all that
 * happened from a little before that entry on. Entries it has not got are inserted at their place
 * (the list is `aria-live="polite"`, so a screen reader reads each new one, not the whole list),
 * changed ones replaced, and ones gone from that stretch (a step that was in progress) removed. It
 * pauses while the tab is hidden and asks at once when it is shown again. Without it, the page is a
 * plain list with Older/Newest links.
 */

const POLL_MS = 2500;

export const CONTACT_TIMELINE_SCRIPT = `'use strict';
(function () {
  var list = document.getElementById('contact-timeline');
  var url = list && list.getAttribute('data-poll');
  if (!url || !window.fetch || !window.JSON) return;
  var timer = null;
  var busy = false;
  var stopped = false;

  function items() {
    return Array.prototype.filter.call(list.children, function (item) { return item.hasAttribute('data-key'); });
  }
  function place(item) { return { at: item.getAttribute('data-at'), key: item.getAttribute('data-key') }; }
  // Newest first by (at, key): the server's order, compared as strings.
  function newer(a, b) { return a.at !== b.at ? a.at > b.at : a.key > b.key; }
  function build(html) {
    var holder = document.createElement('template');
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }
  function insert(node, entry) {
    var current = items();
    for (var i = 0; i < current.length; i++) {
      if (newer(entry, place(current[i]))) { list.insertBefore(node, current[i]); return; }
    }
    list.appendChild(node);
  }
  function apply(answer) {
    var byKey = {};
    var fresh = {};
    items().forEach(function (item) { byKey[item.getAttribute('data-key')] = item; });
    answer.entries.forEach(function (entry) { fresh[entry.key] = true; });
    if (answer.from) {
      items().forEach(function (item) {
        if (item.getAttribute('data-at') >= answer.from && !fresh[item.getAttribute('data-key')]) item.remove();
      });
    }
    // Oldest first, so that a screen reader reads what happened in the order it happened.
    answer.entries.slice().reverse().forEach(function (entry) {
      var existing = byKey[entry.key];
      if (existing && existing.isConnected && existing.getAttribute('data-version') === entry.version) return;
      var node = build(entry.html);
      if (!node) return;
      node.classList.add('tl-new');
      if (existing && existing.isConnected) existing.replaceWith(node);
      else insert(node, entry);
    });
    var empty = list.querySelector('[data-empty]');
    if (empty && items().length > 0) empty.remove();
    var more = document.getElementById('timeline-more');
    if (more && answer.truncated) more.hidden = false;
  }
  function poll() {
    timer = null;
    if (stopped || document.hidden) return;
    busy = true;
    var newest = items()[0];
    var cursor = newest ? newest.getAttribute('data-cursor') : '';
    fetch(url + (cursor ? '?after=' + encodeURIComponent(cursor) : ''), {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin'
    })
      .then(function (response) {
        var json = (response.headers.get('content-type') || '').indexOf('application/json') === 0;
        // Signed out (the sign-in page answers) or the contact is gone: stop asking.
        if (!json || response.status === 404) { stopped = true; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (answer) { if (answer) apply(answer); })
      .catch(function () { /* offline for a moment: the next poll asks again */ })
      .then(function () { busy = false; schedule(); });
  }
  function schedule() {
    if (!stopped && !timer && !busy && !document.hidden) timer = setTimeout(poll, ${POLL_MS});
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) { clearTimeout(timer); timer = null; return; }
    if (!busy && !timer) poll();
  });
  schedule();
})();
`;

export const CONTACT_TIMELINE_STYLES = `
.tl { list-style: none; margin: 0 0 1rem; padding: 0 0 0 1.5rem; position: relative; }
.tl::before { content: ""; position: absolute; left: .5rem; top: .4rem; bottom: .4rem; width: 2px;
  background: var(--line); }
.tl > li { position: relative; margin: 0 0 .5rem; min-width: 0; }
.tl-entry { padding: .55rem .8rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
.tl-entry::before { content: ""; position: absolute; left: -1.3rem; top: .85rem; width: .75rem; height: .75rem;
  border-radius: 50%; background: #9aa5b1; border: 2px solid var(--bg); }
.tl-good::before { background: var(--good); } .tl-warn::before { background: #f79009; }
.tl-bad::before { background: var(--bad); } .tl-info::before { background: var(--accent); }
.tl-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .1rem .75rem; }
.tl-what { margin: 0; min-width: 0; flex: 1 1 16rem; overflow-wrap: anywhere; }
.tl-time { color: var(--muted); font-size: .85rem; white-space: nowrap; }
.tl-detail { margin: .15rem 0 0; color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
.tl-reason { margin: .35rem 0 0; padding: .3rem .6rem; border-radius: 6px; font-size: .9rem; background: #fffaeb;
  border: 1px solid #fedf89; overflow-wrap: anywhere; }
.tl-bad .tl-reason { background: #fef3f2; border-color: #fecdca; }
.tl-preview { margin-top: .35rem; }
.tl-preview summary { cursor: pointer; color: var(--accent); width: max-content; }
.tl-preview iframe.email-preview { margin-top: .35rem; }
pre.tl-sms { white-space: pre-wrap; margin: .35rem 0 0; }
.tl-empty { color: var(--muted); padding: .25rem 0; }
.tl-new { animation: tl-new 2.5s ease-out; }
@keyframes tl-new { from { background: #e0e8f9; } to { background: #fff; } }
@media (prefers-reduced-motion: reduce) { .tl-new { animation: none; } }
.timeline-pager { margin-top: .5rem; }
`;

/** `/assets/contact-timeline.css` and `.js`, cached like the console's own. */
export function contactTimelineAssetRoutes(): Router {
  const router = Router();
  router.get('/assets/contact-timeline.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CONTACT_TIMELINE_STYLES);
  });
  router.get('/assets/contact-timeline.js', (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CONTACT_TIMELINE_SCRIPT);
  });
  return router;
}
