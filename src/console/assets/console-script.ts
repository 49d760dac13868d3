/**
 * The console's one script, served from our origin at /app/assets/console.js (the CSP allows no
 * other). Everything works without it except copying to the clipboard and confirm prompts.
 */
export const CONSOLE_SCRIPT = `'use strict';
(function () {
  function flash(button, text) {
    button.textContent = text;
    setTimeout(function () { button.textContent = 'Copy'; }, 2000);
  }
  function fallbackCopy(field, button) {
    field.focus();
    field.select();
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    flash(button, copied ? 'Copied' : 'Press Ctrl+C');
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-copy]') : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { flash(button, 'Copied'); },
        function () { fallbackCopy(field, button); }
      );
    } else {
      fallbackCopy(field, button);
    }
  });
  document.addEventListener('submit', function (event) {
    var question = event.target.getAttribute && event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
`;
