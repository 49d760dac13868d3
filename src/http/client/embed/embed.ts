/**
 * /embed.js: the popup form of the embed code. Another site loads it with
 * `<script src="…/embed.js" defer></script>` and marks a button `data-linkflow-popup="<scheduling URL>"`;
 * a click opens the scheduling page in an overlay iframe (a modal dialog) with a Close button.
 * Escape (here, or inside the page: it posts `linkflow:close`), Close or a click on the backdrop
 * closes it, and the focus goes back to the button.
 *
 * It runs on pages we do not control: styles are set through the CSSOM (allowed by any CSP that
 * lets the script run, unlike a `<style>` element), nothing is added to the global scope but one
 * flag, and only http(s) addresses open.
 */

const OPEN_ATTRIBUTE = 'data-linkflow-popup';
const TITLE_ATTRIBUTE = 'data-linkflow-title';
const LOADED_FLAG = '__linkflowEmbed';

type Styles = Partial<Record<keyof CSSStyleDeclaration, string>>;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, styles: Styles): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  Object.assign(created.style, styles);
  return created;
}

function safeUrl(text: string): string | null {
  try {
    const url = new URL(text, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function openPopup(url: string, title: string, opener: HTMLElement): void {
  const small = window.innerWidth < 640;
  const overlay = element('div', {
    position: 'fixed',
    inset: '0',
    zIndex: '2147483647',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: small ? '0' : '24px',
    background: 'rgba(15, 23, 42, 0.6)',
  });
  const dialog = element('div', {
    position: 'relative',
    width: small ? '100%' : 'min(960px, 100%)',
    height: small ? '100%' : 'min(780px, 100%)',
    background: '#fff',
    borderRadius: small ? '0' : '12px',
    overflow: 'hidden',
    boxShadow: '0 20px 60px rgba(15, 23, 42, 0.35)',
  });
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', title);
  const close = element('button', {
    position: 'absolute',
    top: '8px',
    right: '8px',
    zIndex: '1',
    width: '40px',
    height: '40px',
    border: '0',
    borderRadius: '50%',
    background: '#fff',
    color: '#1f2933',
    font: '24px/1 system-ui, sans-serif',
    cursor: 'pointer',
    boxShadow: '0 1px 4px rgba(15, 23, 42, 0.3)',
  });
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Close');
  const frame = element('iframe', { width: '100%', height: '100%', border: '0', display: 'block' });
  frame.src = url;
  frame.title = title;
  dialog.append(close, frame);
  overlay.append(dialog);

  const root = document.documentElement;
  const overflow = root.style.overflow;
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    done();
  };
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null;
    if (event.source === frame.contentWindow && data?.type === 'linkflow:close') done();
  };
  // Keeps the keyboard inside the dialog: focus that lands behind it comes back to Close.
  const onFocusin = (event: FocusEvent) => {
    if (!overlay.contains(event.target as Node)) close.focus();
  };
  function done(): void {
    document.removeEventListener('keydown', onKeydown, true);
    document.removeEventListener('focusin', onFocusin);
    window.removeEventListener('message', onMessage);
    overlay.remove();
    root.style.overflow = overflow;
    opener.focus();
  }
  close.addEventListener('click', done);
  overlay.addEventListener('click', (event) => {
    if (event.target === overlay) done();
  });
  document.addEventListener('keydown', onKeydown, true);
  document.addEventListener('focusin', onFocusin);
  window.addEventListener('message', onMessage);
  root.style.overflow = 'hidden';
  document.body.append(overlay);
  close.focus();
}

function install(): void {
  const flags = window as unknown as Record<string, boolean>;
  // The snippet pasted twice loads the script twice: one listener is enough.
  if (flags[LOADED_FLAG]) return;
  flags[LOADED_FLAG] = true;
  document.addEventListener('click', (event) => {
    const opener = (event.target as Element | null)?.closest?.(`[${OPEN_ATTRIBUTE}]`);
    if (!(opener instanceof HTMLElement)) return;
    const url = safeUrl(opener.getAttribute(OPEN_ATTRIBUTE) ?? '');
    if (!url) return;
    event.preventDefault();
    openPopup(url, opener.getAttribute(TITLE_ATTRIBUTE) || 'Book a time', opener);
  });
}

install();

export {};
