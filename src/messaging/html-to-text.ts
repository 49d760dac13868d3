import { decodeEntities, htmlToTextByPasses, linkToText } from './html-to-text-passes';

/**
 * The text part of an email whose template gives only HTML. Small on purpose: email HTML is simple
 * (paragraphs, links, lists, tables of layout) and a plain reading of it is all a text part needs.
 *
 * What the text is, is defined by html-to-text-passes.ts (a dozen passes of regular expressions over
 * the whole email). This gets the same text, byte for byte, in one scan over the tags (every worker
 * renders one per booking email): it holds for HTML whose every `<` opens a tag that closes before
 * the next `<`, which is all HTML a template escapes its values into. Anything else (a bare `<` in
 * the text, a link whose URL decodes to a `<`) goes through the passes, where the order of the
 * passes decides what it reads as. test/unit/messaging/html-to-text.test.ts compares the two.
 */
export function htmlToText(html: string): string {
  let source = html.includes('<!--') ? html.replace(/<!--[\s\S]*?-->/g, '') : html;
  source = source.replace(HIDDEN, '').replace(WHITESPACE_RUNS, ' ');
  const text = tagsToText(source);
  if (text === null) return htmlToTextByPasses(html);
  return joinLines(decodeEntities(text));
}

const HIDDEN = /<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi;
/** Each run of whitespace becomes one space: only the runs that are not one space already are matched. */
const WHITESPACE_RUNS = /[\r\n\t ]{2,}|[\r\n\t]/g;

const LINK_CLOSE = /<\/a\s*>/gi;
const BLOCKS = new Set(
  ['p', 'div', 'table', 'tr', 'ul', 'ol', 'blockquote', 'section', 'article', 'header', 'footer', 'pre', 'hr'].concat([
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
  ]),
);

const isWordChar = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;

/**
 * The name a tag starts with (after a `/` when `from` is 1), lower-cased: its run of word characters,
 * which is what the passes' patterns (`<li\b`, `</?(p|div|…)\b`, ASCII-only without the `u` flag) see.
 */
function tagName(tag: string, from: number): string {
  let end = from;
  while (end < tag.length && isWordChar(tag.charCodeAt(end))) end++;
  return tag.slice(from, end).toLowerCase();
}

/** What a tag (between `<` and `>`, not a link) reads as; the passes' patterns never match the same tag. */
function tagText(tag: string): string {
  const closing = tag.charCodeAt(0) === 47; // '/'
  const name = tagName(tag, closing ? 1 : 0);
  if (BLOCKS.has(name)) return '\n\n';
  if (closing) return (name === 'td' || name === 'th') && /^\s*$/.test(tag.slice(3)) ? ' ' : '';
  if (name === 'li') return '\n- ';
  if (name === 'br' && /^\s*\/?$/.test(tag.slice(2))) return '\n';
  return '';
}

/** True when every `<` of `text[from, to)` closes with a `>` before the next `<` (and before `to`). */
function tagsClose(text: string, from: number, to: number): boolean {
  for (let open = text.indexOf('<', from); open !== -1 && open < to;) {
    const close = text.indexOf('>', open + 1);
    const next = text.indexOf('<', open + 1);
    if (close === -1 || close >= to || (next !== -1 && next < close)) return false;
    open = next;
  }
  return true;
}

/** Links and tags replaced by their text, entities left as they are; null when the HTML is not the simple kind. */
function tagsToText(html: string): string | null {
  let text = '';
  let copied = 0;
  for (let open = html.indexOf('<'); open !== -1;) {
    const close = html.indexOf('>', open + 1);
    const next = html.indexOf('<', open + 1);
    if (close === -1 || (next !== -1 && next < close)) return null;
    text += html.slice(copied, open);
    const tag = html.slice(open + 1, close);
    copied = close + 1;
    if ((tag.charCodeAt(0) | 32) === 97 && !isWordChar(tag.charCodeAt(1))) {
      // `<a\b`: a link, to the first `</a>` after it.
      LINK_CLOSE.lastIndex = copied;
      const end = LINK_CLOSE.exec(html);
      // An `<a>` never closed is an ordinary tag (the passes' link pattern finds no end for it either).
      if (end) {
        if (!tagsClose(html, copied, end.index)) return null;
        const link = linkToText(tag.slice(1), html.slice(copied, end.index));
        if (link.includes('<')) return null;
        text += link;
        copied = end.index + end[0].length;
        open = html.indexOf('<', copied);
        continue;
      }
    }
    text += tagText(tag);
    open = next;
  }
  return text + html.slice(copied);
}

/** Whitespace as `String.prototype.trim` sees it. */
const isSpace = (code: number): boolean =>
  code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));

/**
 * Each line trimmed, its runs of spaces, tabs and no-break spaces made one space; at most one empty
 * line between two lines of text, none at either end.
 */
function joinLines(text: string): string {
  let joined = '';
  let blank = false;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let first = start;
    let last = end - 1;
    while (first <= last && isSpace(text.charCodeAt(first))) first++;
    while (last >= first && isSpace(text.charCodeAt(last))) last--;
    if (first > last) {
      blank = joined !== '';
    } else {
      let line = text.slice(first, last + 1);
      if (SPACE_RUN.test(line)) line = line.replace(/[ \t\u00a0]+/g, ' ');
      joined += joined === '' ? line : blank ? `\n\n${line}` : `\n${line}`;
      blank = false;
    }
    start = end + 1;
  }
  return joined;
}

/** A line that needs its spaces squeezed. */
const SPACE_RUN = /[\t\u00a0]| {2}/;
