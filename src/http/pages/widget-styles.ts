/**
 * The booking widget's looks (src/http/client/booking), served inside /assets/linkflow.css: the
 * page's CSP allows no inline style, and one stylesheet is one request on a phone. Layout: one
 * column down to 320 px; from 48rem the month and the day's times sit side by side.
 */
export const WIDGET_STYLES = `
body.with-widget main { max-width: 58rem; }
.widget { margin-top: 1rem; }
.zone-field { margin: 1rem 0 0; }
.combobox { position: relative; }
.combobox input { width: 100%; font: inherit; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: 8px; }
.zone-options { position: absolute; z-index: 10; left: 0; right: 0; max-height: 16rem; overflow-y: auto;
  margin: .25rem 0 0; padding: .25rem 0; list-style: none; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; box-shadow: 0 8px 24px rgba(15, 23, 42, .15); }
.zone-options [role=option] { padding: .5rem .75rem; cursor: pointer; }
.zone-options [role=option]:hover, .zone-options [aria-selected=true] { background: #e8efff; }
.zone-none { padding: .5rem .75rem; color: var(--muted); }
.details { border: 0; padding: 0; margin: 0 0 1rem; display: grid; gap: 0 1rem; min-width: 0; }
.details legend { font-weight: 600; padding: 0; }
.details label { font-weight: 400; margin-top: .5rem; }
.widget-columns { display: grid; gap: 1.5rem; }
.month-head { display: flex; align-items: center; justify-content: space-between; gap: .5rem; margin-bottom: .5rem; }
.month-title { margin: 0; font-size: 1.1rem; text-align: center; }
.month-step { width: 2.75rem; height: 2.75rem; padding: 0; font-size: 1.5rem; line-height: 1; background: #fff;
  color: var(--accent); border: 1px solid var(--line); }
.month-step:disabled { color: #9aa5b1; cursor: default; }
table.days { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.days th { padding: .25rem 0; font-size: .8rem; font-weight: 600; color: var(--muted); text-align: center; }
table.days td { padding: 2px; text-align: center; }
.day { width: 100%; height: 2.75rem; padding: 0; border-radius: 8px; background: transparent; color: #7b8794;
  font-variant-numeric: tabular-nums; cursor: default; }
.day.free { background: #e8efff; color: var(--accent); font-weight: 700; cursor: pointer; }
.day.free:hover { background: #d3e0ff; }
.day[aria-pressed=true] { background: var(--accent); color: #fff; }
.day[aria-current=date] { text-decoration: underline; text-underline-offset: .2em; }
.day:focus-visible { outline: 3px solid #9ab8ff; outline-offset: 1px; }
.times-title { margin: 0 0 .25rem; font-size: 1.1rem; }
.times-status { margin: 0 0 .75rem; font-size: .9rem; }
.times-error:empty { display: none; }
.time-list { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem;
  grid-template-columns: repeat(auto-fill, minmax(6.5rem, 1fr)); }
.time { width: 100%; min-height: 2.75rem; padding: .5rem .25rem; background: #fff; color: var(--accent);
  border: 1px solid var(--accent); font-weight: 600; white-space: nowrap; }
.time:hover { background: #e8efff; }
.time[aria-pressed=true] { background: var(--muted); border-color: var(--muted); color: #fff; }
.chosen { grid-column: 1 / -1; display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
.confirm { min-height: 2.75rem; font-weight: 600; }
.confirm[aria-disabled=true] { opacity: .6; cursor: progress; }
.add-to-calendar h2 { margin-top: 1rem; }
.calendar-links { display: flex; flex-wrap: wrap; gap: .5rem; }
a.button { display: inline-block; text-decoration: none; }
a.button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
@media (min-width: 48rem) {
  .details { grid-template-columns: 1fr 1fr; }
  .widget-columns { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 2.5rem; }
  .time-list { max-height: 25rem; overflow-y: auto; padding: 4px 6px 6px 4px; margin: -4px -6px 0 -4px; }
}
`;
