import { embedSnippets } from '../../../src/booking/embed-code';

describe('the embed code of a calendar', () => {
  const snippets = embedSnippets({
    schedulingUrl: 'https://book.example.com/c/intro-call',
    publicUrl: 'https://book.example.com/',
    calendarName: 'Intro "call" <free>',
  });

  it('frames the scheduling page inline, with an escaped title', () => {
    expect(snippets.inline).toBe(
      '<iframe src="https://book.example.com/c/intro-call" title="Book a time: Intro &quot;call&quot; &lt;free&gt;" width="100%" height="720" frameborder="0" loading="lazy"></iframe>',
    );
  });

  it('offers a popup button that loads /embed.js from the public origin', () => {
    expect(snippets.popup).toContain('<script src="https://book.example.com/embed.js" defer></script>');
    expect(snippets.popup).toContain('data-linkflow-popup="https://book.example.com/c/intro-call"');
    expect(snippets.popup).toMatch(/<button type="button" [^>]*>Book a time<\/button>$/);
  });

  it('gives the plain link as an anchor', () => {
    expect(snippets.link).toBe(
      '<a href="https://book.example.com/c/intro-call">Book a time: Intro &quot;call&quot; &lt;free&gt;</a>',
    );
  });
});
