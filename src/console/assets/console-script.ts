/**
 * The console's one script, served from our origin at /app/assets/console.js (the CSP allows no
 * other). Everything works without it: the navigation stays listed on a phone, a dialog closes by
 * its Close link, a contact is picked by typing their email, and a link is selected to copy it.
 */
export const CONSOLE_SCRIPT = `'use strict';
(function () {
  var closest = function (node, selector) { return node && node.closest ? node.closest(selector) : null; };

  // Copy buttons: the field is an input/textarea (its value) or any element (its text).
  function say(button, text) {
    var region = closest(button, '[role=dialog]');
    region = region && region.querySelector('[data-status]');
    if (!region) return;
    region.textContent = '';
    var message = document.createElement('p');
    message.className = 'notice';
    message.textContent = text;
    region.appendChild(message);
  }
  function flash(button, field, copied) {
    var label = closest(field, '[aria-label]');
    var what = (field.getAttribute('aria-label') || (label && label.getAttribute('aria-label')) || 'text').toLowerCase();
    button.textContent = copied ? 'Copied' : 'Press Ctrl+C';
    say(button, copied ? 'Copied the ' + what + '.' : 'Press Ctrl+C (or ⌘C) to copy the selected ' + what + '.');
    setTimeout(function () { button.textContent = 'Copy'; }, 2000);
  }
  function select(field) {
    if ('value' in field) { field.focus(); field.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(field);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function fallbackCopy(field, button) {
    select(field);
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    flash(button, field, copied);
  }
  document.addEventListener('click', function (event) {
    var button = closest(event.target, '[data-copy]');
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var text = 'value' in field ? field.value : field.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { flash(button, field, true); },
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

  // The phone's Menu button folds the navigation (CSS shows the button only at 768 px and less).
  var topbar = document.querySelector('.topbar');
  var toggle = topbar && topbar.querySelector('.menu-toggle');
  function setNav(open) {
    topbar.classList.toggle('nav-open', open);
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  if (toggle) {
    toggle.addEventListener('click', function () { setNav(!topbar.classList.contains('nav-open')); });
    topbar.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && topbar.classList.contains('nav-open')) { setNav(false); toggle.focus(); }
    });
  }

  // A dialog page: focus moves into it, the page behind is inert, Escape leaves by its Close link.
  var dialog = document.querySelector('[role=dialog][aria-modal=true]');
  if (dialog) {
    document.querySelectorAll('body > header, body > footer, main > :not(.backdrop)').forEach(function (node) { node.inert = true; });
    if (!dialog.contains(document.activeElement)) dialog.focus();
    dialog.addEventListener('keydown', function (event) {
      var close = dialog.querySelector('[data-close]');
      var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
      if (event.key === 'Escape' && close && !typing && !event.defaultPrevented) window.location.assign(close.href);
    });
  }

  // Contact pickers: a datalist filled from the account's contacts as the marketer types.
  var pending;
  document.addEventListener('input', function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[data-contact-picker]')) return;
    clearTimeout(pending);
    pending = setTimeout(function () {
      var query = input.value.trim();
      if (query.length < 2) return;
      fetch(input.getAttribute('data-contact-picker') + '?q=' + encodeURIComponent(query), {
        headers: { Accept: 'application/json' }, credentials: 'same-origin'
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) {
          var list = document.getElementById(input.getAttribute('list'));
          if (!list) return;
          list.textContent = '';
          body.items.forEach(function (item) {
            var option = document.createElement('option');
            option.value = item.value;
            option.label = item.label;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions only: typing an email still works */ });
    }, 200);
  });

  // The browser's time zone, for accounts that show times in each viewer's zone (view-zone.ts).
  // A page written before the cookie existed is fetched again once, by GET, in that zone.
  try {
    var zonePair = 'lf_zone=' + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone || '');
    var hasZone = function () { return document.cookie.split('; ').indexOf(zonePair) >= 0; };
    if (zonePair !== 'lf_zone=' && !hasZone()) {
      document.cookie = zonePair + '; path=/app; max-age=31536000; samesite=lax';
      if (hasZone() && document.querySelector('[data-zone-source=viewer-pending]')) window.location.replace(window.location.href);
    }
  } catch (e) { /* times stay in the account's zone */ }
})();
`;
