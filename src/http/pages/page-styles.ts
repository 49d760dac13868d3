/**
 * The one stylesheet of every public page (booking, unsubscribe), served from our own origin at
 * /assets/linkflow.css so that the Content-Security-Policy can forbid inline styles and other hosts.
 */
export const PAGE_STYLES = `
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --accent: #2463eb; --line: #d9e2ec; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--bg); }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p.muted, .muted { color: var(--muted); }
a { color: var(--accent); }
button, .button { font: inherit; border: 0; border-radius: 8px; background: var(--accent); color: #fff;
  padding: .6rem 1rem; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
button:focus-visible, a:focus-visible, input:focus-visible, label:focus-within { outline: 3px solid #9ab8ff;
  outline-offset: 2px; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input[type=text], input[type=email], input[type=tel] { width: 100%; font: inherit; padding: .5rem .75rem;
  border: 1px solid var(--line); border-radius: 8px; }
.slots { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; border: 0; }
.slot input { position: absolute; opacity: 0; }
.slot span { display: inline-block; padding: .5rem .8rem; border: 1px solid var(--accent); border-radius: 8px;
  color: var(--accent); background: #fff; cursor: pointer; }
.slot input:checked + span { background: var(--accent); color: #fff; }
.slot input:focus-visible + span { outline: 3px solid #9ab8ff; outline-offset: 2px; }
.error { color: #b42318; }
.hint { font-size: .85rem; margin: .25rem 0 0; }
select { font: inherit; max-width: 100%; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 8px;
  background: #fff; }
.zone-picker { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin: 1rem 0; }
.zone-picker label { margin: 0; font-weight: 400; }
fieldset.slots { margin-bottom: 1rem; }
fieldset.slots legend { font-weight: 600; padding: 0; margin: 1rem 0 .5rem; }
.slot { margin: 0; font-weight: 400; }
.pager { display: flex; justify-content: space-between; margin: 1rem 0; }
@media (max-width: 30rem) { main { padding: 1rem .5rem; } .card { padding: 1rem; } }
`;
