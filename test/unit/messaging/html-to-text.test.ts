import { htmlToText } from '../../../src/messaging/html-to-text';

describe('deriving the text part from HTML', () => {
  it('keeps paragraphs and line breaks, drops tags, head and styles', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style></head><body><h1>Hello</h1><p>First <b>line</b><br>second line</p><p>Next   paragraph</p></body></html>';
    expect(htmlToText(html)).toBe('Hello\n\nFirst line\nsecond line\n\nNext paragraph');
  });

  it('writes links as "label (url)", once when the label is the URL', () => {
    expect(htmlToText('<p><a href="https://x.test/a?b=1&amp;c=2">Book now</a></p>')).toBe(
      'Book now (https://x.test/a?b=1&c=2)',
    );
    expect(htmlToText('<a href="https://x.test">https://x.test</a>')).toBe('https://x.test');
    expect(htmlToText('<a href="mailto:a@x.test">a@x.test</a>')).toBe('mailto:a@x.test');
  });

  it('decodes entities, so escaped text reads as written', () => {
    expect(htmlToText('<p>&lt;script&gt; &amp; &quot;q&quot; &#39;s&#39; &#x263A; caf&eacute;&nbsp;ok</p>')).toBe(
      '<script> & "q" \'s\' ☺ caf&eacute; ok',
    );
  });

  it('lists items and cells', () => {
    expect(htmlToText('<ul><li>One</li><li>Two</li></ul><table><tr><td>A</td><td>B</td></tr></table>')).toBe(
      '- One\n- Two\n\nA B',
    );
  });
});
