import path from 'node:path';
import { htmlToText } from '../../../src/messaging/html-to-text';
import { htmlToTextByPasses } from '../../../src/messaging/html-to-text-passes';
import { renderEmail } from '../../../src/messaging/render-message';
import { readTemplates } from '../../../src/messaging/template-store';
import { originalHtmlToText } from './html-to-text-original';
import { mulberry32 } from '../../helpers/seeded-random';

/** Pieces of HTML, well-formed and not: tags of every kind the passes know, entities, odd whitespace, stray brackets. */
const FRAGMENTS = [
  'Hello',
  ' world ',
  'café',
  '😀',
  '<p>',
  '</p>',
  '<P class="x">',
  '<div>',
  '</DIV>',
  '<h1>',
  '</h3 >',
  '<h7>',
  '<br>',
  '<br/>',
  '<BR />',
  '<br / >',
  '<br\n>',
  '<brx>',
  '<li>',
  '<li class="a">',
  '<link rel="x">',
  '</li>',
  '<ul>',
  '</ol>',
  '<table role="presentation">',
  '<tr>',
  '<td>',
  '</td>',
  '</TH\t>',
  '</tdx>',
  '<pre>',
  '<hr/>',
  '<hr-x>',
  '<blockquote>',
  '<section>',
  '<b>',
  '</b>',
  '<strong style="x">',
  '<span>',
  '<img src="x.png" alt="a>b">',
  '<a href="https://x.test/a?b=1&amp;c=2">',
  "<a href='https://x.test/q'>",
  '<a href=https://x.test/bare>',
  '<A HREF="HTTPS://X.TEST">',
  '<a href="#top">',
  '<a href="javascript:alert(1)">',
  '<a href="mailto:a@x.test">',
  '<a name="n">',
  '<a>',
  '<a\nhref="https://x.test/n\nl">',
  '<a href="&lt;b&gt;">',
  '<a href="&amp;lt;x&amp;gt;">',
  '<a href="x&#10;y">',
  '<abbr>',
  '<a-b>',
  '</a>',
  '</A >',
  'https://x.test/a?b=1&amp;c=2',
  'https://x.test',
  'a@x.test',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&#39;',
  '&#x263A;',
  '&#X41;',
  '&#0;',
  '&#1114112;',
  '&#10;',
  '&#9;',
  '&#160;',
  '&nbsp;',
  '&eacute;',
  '&HELLIP;',
  '&am',
  'p;',
  '&',
  ';',
  '<!-- a comment -->',
  '<!--',
  '-->',
  '<head><title>T</title></head>',
  '<style>p{color:red}</style>',
  '<SCRIPT type="x">var a = "<p>";</script >',
  '<title>',
  '<',
  '>',
  ' < ',
  'a < b',
  'a > b',
  '<<',
  '>>',
  '<>',
  '< p>',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  '\u00a0',
  '\u2003',
  '\ufeff',
  '\u2028',
  '\v',
  '\f',
  '   \n\n\n   ',
];

/** The fragments without a bare `<`: the HTML templates make, which the scan reads itself (no fallback). */
const WELL_FORMED = FRAGMENTS.filter((fragment) => {
  const opens = fragment.split('<').length - 1;
  return opens === 0 || (opens === (fragment.match(/<[^<>]*>/g) ?? []).length && !fragment.startsWith('<!--'));
});

function randomHtml(random: () => number, fragments: readonly string[]): string {
  const length = 1 + Math.floor(random() * 40);
  let html = '';
  for (let i = 0; i < length; i++) html += fragments[Math.floor(random() * fragments.length)];
  return html;
}

/** Values with characters HTML escapes, and text around them, as the templates see them. */
const TRICKY_CONTEXT = {
  contact: {
    firstName: 'Zoë <b>&</b>',
    first_name: 'Zoë <b>&</b>',
    lastName: 'O\'Brien "Jr"',
    fullName: 'Zoë <b>&</b> O\'Brien "Jr"',
    full_name: 'Zoë <b>&</b> O\'Brien "Jr"',
    email: 'zoe+test@example.com',
    phone: '+33 1 23 45 67 89',
  },
  account: { name: 'Acme & Sons <Ltd>' },
  calendar: {
    name: 'Discovery   call\u00a0(30 min)',
    ownerName: 'Olive Owner',
    schedulingUrl: 'https://x.test/c/discovery',
  },
  appointment: {
    calendarName: 'Discovery   call\u00a0(30 min)',
    date: 'Friday, 4 December 2026',
    startTime: '09:30',
    time: '09:30–10:00',
    timezone: 'Europe/Paris',
    when: 'Friday, 4 December 2026, 09:30–10:00 (Europe/Paris)',
    rescheduleUrl: 'https://x.test/book/reschedule/abcDEF_-123',
    cancelUrl: 'https://x.test/book/cancel/ghiJKL_-456',
    icsUrl: 'https://x.test/book/reschedule/abcDEF_-123/calendar.ics',
    googleCalendarUrl:
      'https://calendar.google.com/calendar/render?action=TEMPLATE&text=Discovery+call&dates=20261204T083000Z%2F20261204T090000Z&details=Reschedule%3A+https%3A%2F%2Fx.test',
    bookAgainUrl: 'https://x.test/c/discovery',
    previousDate: 'Thursday, 3 December 2026',
    previousTime: '09:30–10:00',
    previousWhen: 'Thursday, 3 December 2026, 09:30–10:00 (Europe/Paris)',
  },
  consoleUrl: 'https://x.test/app/contacts/1',
  steps: { link: { url: 'https://x.test/book/xyz?a=1&b=2' } },
};

describe('the text part read in one scan', () => {
  it('reads every template of templates/ as the passes read it, with plain and with tricky values', async () => {
    const store = await readTemplates(path.join(__dirname, '../../../templates'));
    const emails = store.list().filter((entry) => entry.channel === 'email');
    expect(emails.length).toBeGreaterThan(3);
    for (const context of [
      { ...TRICKY_CONTEXT, unsubscribeUrl: 'https://x.test/u/abc.def' },
      { ...TRICKY_CONTEXT, unsubscribeUrl: '' },
      { unsubscribeUrl: '' },
    ]) {
      for (const { name } of emails) {
        const template = store.email(name)!;
        const { html } = renderEmail(store, { subject: 'x', html: template.html, layout: false }, context);
        const inLayout = template.layout
          ? renderEmail(store, { template: name }, context).html
          : renderEmail(store, { subject: 'x', html: template.html, layout: 'email' }, context).html;
        for (const rendered of [html!, inLayout!]) {
          expect(htmlToText(rendered)).toBe(originalHtmlToText(rendered));
        }
      }
    }
  });

  it.each([
    ['entities', '<p>&lt;script&gt; &amp; &quot;q&quot; &#39;s&#39; &#x263A; caf&eacute;&nbsp;ok &am<b>p; &#10;x</p>'],
    ['nested lists', '<ul><li>One<ul><li>One.1</li><li>One.2<ol><li>deep</li></ol></li></ul></li><li>Two</li></ul>'],
    ['tables', '<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td> 2 </td></tr></table>after'],
    ['links', '<a href="https://x.test/a?b=1&amp;c=2"> Book <b>now</b> </a> <a href="#x">top</a> <a>bare</a>'],
    [
      'a link whose label is its URL',
      '<a href="mailto:a@x.test">a@x.test</a> <a href="https://x.test">https://x.test</a>',
    ],
    ['a link whose URL decodes to a tag', '<p><a href="&lt;b&gt;x">&lt;b&gt;x</a> and <a href="&lt;i&gt;">y</a></p>'],
    ['an unclosed link', '<p><a href="https://x.test">never closed</p><p>next</p>'],
    ['line breaks', 'one<br>two<br/>three<BR />four<br\n/>five<br / >six'],
    ['whitespace', ' \r\n\t<p>\u00a0 a \t b\u00a0\u00a0c \u2003</p>\n\n\n\n<p>\ufeffd\u2028</p> \u2029 '],
    ['a bare < in the text', '<p>a < b and c > d</p><p>x<y</p>'],
    ['a bare < at the end', '<p>text</p><'],
    ['comments and head', '<!-- c --><html><HEAD><Title>t</TITLE></head><body><!-- <p>x</p> -->y</body></html>'],
    ['nothing', ''],
    ['only tags', '<p></p><div><br></div>'],
  ])('reads %s as the passes do', (_name, html) => {
    expect(htmlToText(html)).toBe(originalHtmlToText(html));
  });

  it.each([
    ['well-formed', WELL_FORMED],
    ['well-formed or not', FRAGMENTS],
  ])('reads 20,000 random pieces of %s HTML as the passes do', (_kind, fragments) => {
    const random = mulberry32(20260301);
    for (let i = 0; i < 20_000; i++) {
      const html = randomHtml(random, fragments);
      const expected = originalHtmlToText(html);
      if (htmlToText(html) !== expected) expect({ html, text: htmlToText(html) }).toEqual({ html, text: expected });
      if (htmlToTextByPasses(html) !== expected)
        expect({ html, text: htmlToTextByPasses(html) }).toEqual({ html, text: expected });
    }
  });
});
