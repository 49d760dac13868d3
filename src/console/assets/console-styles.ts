/**
 * The console's stylesheet, served from our origin at /app/assets/console.css (no inline styles: the
 * CSP forbids them).
 */
export const CONSOLE_STYLES = `
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --accent: #2463eb; --line: #d9e2ec; --bg: #f5f7fa;
  --bad: #b42318; --good: #067647; --warn: #b54708; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--bg); }
a { color: var(--accent); }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
body.bare main { max-width: 28rem; padding-top: 10vh; }
.zone-note { max-width: 72rem; margin: -2rem auto 0; padding: 0 1rem 2rem; font-size: .85rem; }
.topbar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .6rem 1rem; background: #102a43;
  color: #fff; }
.topbar a { color: #d9e2ec; text-decoration: none; padding: .3rem .5rem; border-radius: 6px; }
.topbar a[aria-current=page], .topbar a:hover { background: #243b53; color: #fff; }
.topbar .brand { font-weight: 700; color: #fff; }
.topbar .nav-panel { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; flex: 1; min-width: 0; }
.topbar nav { display: flex; flex-wrap: wrap; gap: .25rem; flex: 1; }
.topbar .signout button { color: #d9e2ec; }
.topbar .menu-toggle { display: none; margin-left: auto; background: #243b53; border: 1px solid #486581; }
.topbar .menu-toggle::before { content: "☰" / ""; margin-right: .4rem; }
/* Phones: the navigation folds behind the Menu button (console.js toggles .nav-open). Without
   scripting the button would do nothing, so the links stay listed and the button stays hidden. */
@media (max-width: 768px) {
  .topbar .nav-panel { flex-basis: 100%; flex-direction: column; align-items: stretch; gap: .25rem; }
  .topbar nav { flex-direction: column; gap: 0; }
  .topbar nav a, .topbar .signout button { display: block; padding: .6rem .5rem; }
  .topbar .signout { border-top: 1px solid #243b53; padding-top: .25rem; }
}
@media (max-width: 768px) and (scripting: enabled) {
  .topbar .menu-toggle { display: inline-block; }
  .topbar:not(.nav-open) .nav-panel { display: none; }
}
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .6rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem; margin-bottom: 1rem; }
.card > h2:first-child { margin-top: 0; }
ul.versions { list-style: none; padding: 0; margin: 0; }
ul.versions li { padding: .3rem 0; border-bottom: 1px solid var(--line); }
.muted { color: var(--muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* A table grows to its content whatever its width says, and a clipped absolute one still widens a
   phone's page; a fixed one never does. */
table.sr { position: fixed; top: 0; left: 0; }
.row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
.spread { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; justify-content: space-between; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 10px;
  overflow: hidden; }
/* A table scrolls sideways in its own box, never the page. */
.table-scroll { overflow-x: auto; max-width: 100%; margin: 0 0 1rem; background: #fff; border: 1px solid var(--line);
  border-radius: 10px; }
.table-scroll > table { border: 0; border-radius: 0; margin: 0; overflow: visible; }
/* A table nobody wrapped still may not widen a phone's page. */
@media (max-width: 768px) { table:not(.table-scroll > table):not(.sr) { display: block; overflow-x: auto; } }
th, td { text-align: left; padding: .5rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; font-size: .85rem; color: var(--muted); }
tr:last-child td { border-bottom: 0; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
button, .button { font: inherit; border: 0; border-radius: 7px; background: var(--accent); color: #fff;
  padding: .45rem .9rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
button.danger { background: var(--bad); }
button.link { background: none; color: var(--accent); padding: 0; text-decoration: underline; }
button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible,
summary:focus-visible { outline: 3px solid #9ab8ff; outline-offset: 2px; }
form.inline { display: inline; }
label { font-weight: 600; display: block; margin: .6rem 0 .2rem; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .5rem 1rem .75rem; margin: 1rem 0; min-width: 0; }
legend { font-weight: 600; padding: 0 .3rem; }
.hint { display: block; color: var(--muted); font-size: .85rem; margin-top: .2rem; }
input[type=text], input[type=email], input[type=search], input[type=number], input[type=time], input[type=password],
select, textarea {
  font: inherit; padding: .4rem .6rem; border: 1px solid var(--line); border-radius: 7px; background: #fff;
  max-width: 100%; }
input[type=text], input[type=email], input[type=password] { width: 100%; }
textarea.code, pre, code, .source { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
textarea.code { width: 100%; min-height: 28rem; white-space: pre; tab-size: 2; }
pre { background: #f0f4f8; padding: .6rem; border-radius: 7px; overflow: auto; max-height: 20rem; margin: .3rem 0; }
.tag { display: inline-flex; align-items: center; gap: .3rem; background: #e0e8f9; color: #1e3a8a;
  border-radius: 999px; padding: .1rem .6rem; margin: .15rem; font-size: .85rem; }
.tag button { background: none; color: #1e3a8a; padding: 0 .2rem; }
.status { display: inline-block; border-radius: 999px; padding: .05rem .55rem; font-size: .8rem; font-weight: 600;
  background: #e4e7eb; color: var(--ink); }
.status-active, .status-completed, .status-sent, .status-booked, .status-running { background: #dcfae6;
  color: var(--good); }
.status-waiting, .status-draft, .status-skipped, .status-not_delivered, .status-used { background: #fef0c7;
  color: var(--warn); }
.status-failed, .status-cancelled, .status-revoked, .status-expired { background: #fee4e2; color: var(--bad); }
.notice { background: #dcfae6; border: 1px solid #abefc6; border-radius: 8px; padding: .5rem .8rem; }
.issues { color: var(--bad); background: #fef3f2; border: 1px solid #fecdca; border-radius: 8px;
  padding: .5rem .5rem .5rem 1.8rem; }
.field-error { color: var(--bad); font-size: .85rem; }
.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.source { list-style: none; margin: 0 0 1rem; padding: .4rem 0; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; max-height: 30rem; overflow: auto; }
.source li { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0 .6rem; white-space: pre; }
.source .ln { color: var(--muted); min-width: 2.5rem; text-align: right; user-select: none; }
.source li.has-issue { background: #fef3f2; }
.source .issue { color: var(--bad); white-space: normal; font-family: system-ui, sans-serif; }
.graph { overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: .5rem; }
.graph svg { display: block; margin: 0 auto; }
.graph .node rect { fill: #fff; stroke: #486581; stroke-width: 1.5; }
.graph .node.busy rect { stroke: var(--accent); stroke-width: 2.5; }
.graph .node .step-id { font: 600 13px system-ui, sans-serif; fill: var(--ink); }
.graph .node .step-type { font: 12px system-ui, sans-serif; fill: var(--muted); }
.graph .node .count { font: 600 11px system-ui, sans-serif; fill: #fff; }
.graph .node .badge { fill: var(--accent); stroke: none; }
.graph .edge path { fill: none; stroke: #829ab1; stroke-width: 1.5; }
.graph .edge-label { font: 11px system-ui, sans-serif; fill: #334e68; }
.graph .edge-label-bg { fill: var(--bg); }
.graph marker path { fill: #829ab1; }
.funnel h3 { font-size: 1rem; margin: 1.5rem 0 .25rem; } .funnel .spread h2 { margin: 0; }
.funnel-figure { margin: .5rem 0; }
.funnel-chart { display: block; overflow: visible; }
.funnel-chart .funnel-label, .funnel-chart .funnel-total { font: 600 13px system-ui, sans-serif; fill: var(--ink); }
.funnel-chart .funnel-detail { font: 12px system-ui, sans-serif; fill: var(--muted); }
.funnel-chart .funnel-track { fill: #eef2f6; }
.funnel-completed { fill: var(--good); background: var(--good); }
.funnel-waiting { fill: #f79009; background: #f79009; }
.funnel-failed { fill: var(--bad); background: var(--bad); }
.funnel-skipped { fill: #9aa5b1; background: #9aa5b1; }
.funnel-cancelled { fill: #cbd2d9; background: #cbd2d9; }
.funnel-minted { fill: #829ab1; } .funnel-opened { fill: #5b8def; } .funnel-booked { fill: var(--good); }
.funnel-legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .5rem 0;
  font-size: .85rem; color: var(--muted); }
.funnel-legend .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .35rem;
  vertical-align: -1px; }
.funnel-period { gap: .5rem; } .funnel-period label { margin: 0; }
.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
.timeline > li { position: relative; margin: 0 0 1rem 1rem; }
.timeline > li::before { content: ""; position: absolute; left: -1.55rem; top: 1.4rem; width: .8rem; height: .8rem;
  border-radius: 50%; background: var(--line); }
.timeline > li.failed::before { background: var(--bad); } .timeline > li.completed::before { background: var(--good); }
.timeline > li.waiting::before, .timeline > li.running::before { background: var(--warn); }
details.menu { position: relative; display: inline-block; }
details.menu summary { list-style: none; cursor: pointer; padding: .2rem .6rem; border: 1px solid var(--line);
  border-radius: 7px; background: #fff; }
details.menu summary::-webkit-details-marker { display: none; }
details.menu .menu-items { position: absolute; right: 0; z-index: 5; }
.menu-items { min-width: 10rem; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  box-shadow: 0 8px 24px rgba(16,42,67,.15); padding: .3rem 0; color: var(--ink); }
.menu-items a { display: block; padding: .5rem .9rem; text-decoration: none; color: var(--ink); }
.menu-items a:hover, .menu-items a:focus-visible { background: #f0f4f8; }
button.menu-button { background: #fff; color: var(--ink); border: 1px solid var(--line); padding: .2rem .6rem; }
/* A row's menu is a popover: in the top layer, so no table or scrolling box clips it. Where anchor
   positioning exists it opens under its button (above it near the bottom); elsewhere centred. */
[popover].menu-items { margin: 0; }
@supports (position-area: block-end) {
  [popover].menu-items { inset: auto; margin: 4px 0; position-area: block-end span-inline-start;
    position-try-fallbacks: flip-block, flip-inline; }
}
.backdrop { position: fixed; inset: 0; z-index: 10; background: rgba(16,42,67,.45); display: flex;
  align-items: flex-start; justify-content: center; padding: 8vh 1rem 1rem; }
body:has(.backdrop) { overflow: hidden; }
/* The dialog never outgrows the screen: its head (title, Close) stays put and its body scrolls. */
.dialog { display: flex; flex-direction: column; background: #fff; border-radius: 12px; width: 100%;
  max-width: min(40rem, calc(100vw - 2rem)); max-height: calc(100dvh - 8vh - 1rem); overflow: hidden;
  box-shadow: 0 20px 50px rgba(16,42,67,.3); }
.dialog:focus { outline: none; }
.dialog-head { display: flex; align-items: center; justify-content: space-between; gap: .75rem;
  padding: 1rem 1.25rem 0; }
.dialog-head h1 { margin: 0; font-size: 1.3rem; min-width: 0; overflow-wrap: anywhere; }
.dialog-head .close { flex: none; }
.dialog-status { padding: 0 1.25rem; }
.dialog-status .notice { margin: .75rem 0 0; }
.dialog .tabs { margin: .75rem 1.25rem 0; }
.dialog-body { overflow: auto; min-height: 0; padding: 1rem 1.25rem 1.25rem; }
.dialog-body > p:first-child { margin-top: 0; }
@media (max-width: 768px) {
  .backdrop { padding: 1rem; }
  .dialog { max-height: calc(100dvh - 2rem); }
  .dialog-head, .dialog-status, .dialog-body { padding-left: 1rem; padding-right: 1rem; }
  .dialog .tabs { margin-left: 1rem; margin-right: 1rem; }
}
.tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); margin: 1rem 0; flex-wrap: wrap; }
.tabs a { padding: .45rem .8rem; text-decoration: none; color: var(--muted); border-bottom: 3px solid transparent; }
.tabs a[aria-selected=true] { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
/* A link shown whole (it wraps anywhere), selectable at once, beside its Copy button. */
.copy-field { display: flex; gap: .5rem; align-items: flex-start; margin: .5rem 0 1rem; min-width: 0; }
.copy-field > button { flex: none; }
.copy-value { flex: 1; min-width: 0; display: block; padding: .4rem .6rem; border: 1px solid var(--line);
  border-radius: 7px; background: #f8fafc; overflow-wrap: anywhere; user-select: all; }
.copy-field textarea { flex: 1; min-width: 0; min-height: 6rem; resize: vertical; }
td.link-cell { min-width: 15rem; }
@media (min-width: 1024px) { td.link-cell { min-width: 24rem; } }
td.link-cell .copy-field { margin: 0; }
.link-options { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0 1rem;
  align-items: start; }
.link-options select, .link-options input { height: 2.4rem; }
.link-options label { margin-top: 0; }
.link-options input, .link-options select { width: 100%; }
.link-options .actions { grid-column: 1 / -1; margin-top: .75rem; }
.embed-form h2 { margin-top: 1rem; }
.embed-form p { margin: .2rem 0; }
.availability td { vertical-align: middle; }
iframe.email-preview { width: 100%; height: 22rem; border: 1px solid var(--line); border-radius: 8px;
  background: #fff; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
@media (max-width: 40rem) { main { padding: 1rem .75rem 2rem; } th, td { padding: .4rem; } }
pre, code { overflow-wrap: anywhere; }

`;
