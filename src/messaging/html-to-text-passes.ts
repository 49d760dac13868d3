/**
 * The definition of an email's text part (see html-to-text.ts): a dozen regular-expression passes
 * over the whole HTML, each simple to read. html-to-text.ts gets the same text in one scan for the
 * HTML emails are made of, and falls back to this for anything unusual (a `<` that opens no tag).
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  euro: '€',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

const HREF = /\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** The value of a tag's `href`, quoted or not; the pattern is made once (it has no `g`: no state). */
const hrefOf = (tag: string): string | undefined =>
  HREF.exec(tag)
    ?.slice(2)
    .find((v) => v !== undefined);

/** `<a href="x">label</a>` reads as `label (x)`; a link whose label is its URL reads once. */
export function linkToText(attributes: string, inner: string): string {
  const href = hrefOf(` ${attributes}`);
  const label = inner.replace(/<[^>]*>/g, '').trim();
  if (!href || href.startsWith('#') || /^javascript:/i.test(href)) return label;
  const url = decodeEntities(href);
  const shown = decodeEntities(label).replace(/\s+/g, ' ');
  if (!shown || shown === url || shown === url.replace(/^mailto:/i, '')) return url;
  return `${label} (${href})`;
}

function linksToText(html: string): string {
  return html.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_whole, attributes: string, inner: string) =>
    linkToText(attributes, inner),
  );
}

const BLOCK = /<\/?(p|div|h[1-6]|table|tr|ul|ol|blockquote|section|article|header|footer|pre|hr)\b[^>]*>/gi;

export function htmlToTextByPasses(html: string): string {
  let text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/[\r\n\t ]+/g, ' ');
  text = linksToText(text)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(td|th)\s*>/gi, ' ')
    .replace(BLOCK, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
