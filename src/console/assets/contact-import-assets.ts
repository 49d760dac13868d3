import { Router } from 'express';

/**
 * The import and bulk-action pages' stylesheet and script, served from our origin at
 * /app/assets/contact-import.{css,js} and linked from those pages only (the CSP allows no inline
 * style or script).
 *
 * The script keeps a progress page current: it polls `<data-progress-url>` (the job's JSON, every
 * POLL_MS while it runs) and moves the progress bar (`aria-valuenow`), the counts and the links
 * that appear once rows failed or the job is done. The status line (`role=status`) changes only
 * when the job's status does, so a screen reader is not told every second. Without it, the page
 * shows the state it was rendered in and a Reload link.
 */

const POLL_MS = 1000;

export const CONTACT_IMPORT_SCRIPT = `'use strict';
(function () {
  var box = document.querySelector('[data-progress-url]');
  if (!box || !window.fetch || box.getAttribute('data-done') === 'true') return;
  var url = box.getAttribute('data-progress-url');
  var bar = box.querySelector('[role=progressbar]');
  var meter = bar && bar.querySelector('progress');
  var numbers = new Intl.NumberFormat('en-US');
  var lastStatus = null;
  function set(field, text) {
    var node = box.querySelector('[data-field="' + field + '"]');
    if (node && node.textContent !== text) node.textContent = text;
  }
  function render(job) {
    if (bar) {
      bar.setAttribute('aria-valuenow', String(job.percent));
      bar.setAttribute('aria-valuetext', job.percent + ' %, ' + numbers.format(job.processed) + ' of ' + numbers.format(job.total));
    }
    if (meter) meter.value = job.percent;
    ['processed', 'created', 'updated', 'skipped', 'failed'].forEach(function (field) {
      set(field, numbers.format(job[field]));
    });
    if (job.status !== lastStatus || job.done) set('statusText', job.statusText);
    lastStatus = job.status;
    var failed = box.querySelector('[data-show-when-failed]');
    if (failed) failed.hidden = !(job.failed > 0);
    var done = box.querySelector('[data-show-when-done]');
    if (done) done.hidden = !job.done;
  }
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.json();
      })
      .then(function (job) {
        render(job);
        if (!job.done) setTimeout(poll, ${POLL_MS});
      })
      .catch(function () { setTimeout(poll, ${POLL_MS * 5}); });
  }
  setTimeout(poll, ${POLL_MS / 2});
})();
`;

export const CONTACT_IMPORT_STYLES = `
.job-progress .progress-track { margin: .75rem 0 1rem; }
.job-progress progress { display: block; width: 100%; height: 1.1rem; accent-color: var(--accent); }
.import-form input[type=file] { display: block; margin: .35rem 0 1rem; max-width: 100%; }
.import-columns select { width: 100%; min-width: 10rem; }
.import-columns .samples span { display: block; max-width: 18rem; overflow: hidden; white-space: nowrap;
  text-overflow: ellipsis; color: var(--muted); }
@media (max-width: 600px) {
  .import-columns .samples span { max-width: 6.5rem; }
  .import-columns .samples span + span { display: none; }
  .import-columns select { min-width: 8.5rem; }
}
.preview ul { margin: 0 0 1rem; padding-left: 1.25rem; }
.preview li + li { margin-top: .35rem; }
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1rem; padding: .5rem 1rem .75rem; }
fieldset label { display: block; font-weight: normal; margin: .35rem 0; }
`;

export function contactImportAssetRoutes(): Router {
  const router = Router();
  router.get('/assets/contact-import.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CONTACT_IMPORT_STYLES);
  });
  router.get('/assets/contact-import.js', (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CONTACT_IMPORT_SCRIPT);
  });
  return router;
}
