import { canonicalZone, deviceZone } from './dates';
import { BookingWidget } from './widget';

/**
 * The booking widget's entry. The server renders a working form (radio buttons, a zone `<select>`);
 * this script replaces it with the widget when it runs, so a browser without JavaScript still books.
 * Everything it needs comes from data-* attributes of #booking-widget (the CSP allows no inline script).
 */
function mount(root: HTMLElement): void {
  const data = root.dataset;
  if (!data.endpoint) return;
  // A zone in the address was asked for (the fallback's zone picker): it wins over the device's.
  const asked = new URLSearchParams(location.search).has('tz');
  const zone = (asked ? null : deviceZone()) ?? canonicalZone(data.zone) ?? 'UTC';
  const fallback = root.querySelector('form[method=post]');
  const value = (name: string): string =>
    (fallback?.querySelector<HTMLInputElement>(`input[name="${name}"]`)?.value ?? '').trim();
  const widget = new BookingWidget(
    {
      endpoint: data.endpoint,
      zone,
      until: data.until ? new Date(data.until) : null,
      askName: data.askName !== undefined,
      askPhone: data.askName !== undefined && data.askPhone !== undefined,
      values: { name: value('name'), email: value('email'), phone: value('phone') },
      doneHeading: data.doneHeading ?? 'You’re booked',
      locale: navigator.language || 'en-US',
    },
    root.closest<HTMLElement>('.card') ?? root,
  );
  root.replaceChildren(widget.element);
  document.body.classList.add('with-widget');
  void widget.start();
  // In an embedding page's popup (/embed.js), Escape closes the popup; the page's own uses come first.
  if (window.parent !== window) {
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) window.parent.postMessage({ type: 'linkflow:close' }, '*');
    });
  }
}

const root = document.getElementById('booking-widget');
if (root) mount(root);
