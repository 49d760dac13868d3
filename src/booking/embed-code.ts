/** What a marketer pastes into their own site to offer a calendar: the three forms of the Share dialog. */
export interface EmbedSnippets {
  /** The scheduling page in an iframe, drawn where the snippet sits. */
  inline: string;
  /** A button that opens the scheduling page over the site (`/embed.js` draws the overlay). */
  popup: string;
  /** The plain scheduling link. */
  link: string;
}

export interface EmbedSnippetOptions {
  /** The calendar's public scheduling page, e.g. `https://book.example.com/c/intro-call`. */
  schedulingUrl: string;
  /** The public origin serving `/embed.js` (the operator's `PUBLIC_URL`), without a trailing slash. */
  publicUrl: string;
  calendarName: string;
}

/** Escapes text for a double-quoted HTML attribute or element text: the snippets land in strangers' pages. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function embedSnippets(options: EmbedSnippetOptions): EmbedSnippets {
  const url = escapeHtml(options.schedulingUrl);
  const title = escapeHtml(`Book a time: ${options.calendarName}`);
  const script = escapeHtml(`${options.publicUrl.replace(/\/+$/, '')}/embed.js`);
  return {
    inline: `<iframe src="${url}" title="${title}" width="100%" height="720" frameborder="0" loading="lazy"></iframe>`,
    popup: `<script src="${script}" defer></script>\n<button type="button" data-linkflow-popup="${url}" data-linkflow-title="${title}">Book a time</button>`,
    link: `<a href="${url}">${title}</a>`,
  };
}
