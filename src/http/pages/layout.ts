import Handlebars from 'handlebars';

/**
 * Public pages are server-rendered with Handlebars into this one layout; no asset comes from
 * elsewhere. The slot pickers add the booking widget's script, which enhances a page that works without it.
 */
const pages = Handlebars.create();

const layout = pages.compile(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{title}}</title>
<link rel="stylesheet" href="/assets/linkflow.css">
{{#if widget}}<script type="module" src="/assets/client/booking.js"></script>
{{/if}}</head>
<body>
<main>
{{{content}}}
</main>
</body>
</html>`);

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Compiles (once) and renders a page body template; values are HTML-escaped. */
export function renderPageBody(template: string, context: object): string {
  let render = compiled.get(template);
  if (!render) {
    render = pages.compile(template, { strict: false });
    compiled.set(template, render);
  }
  return render(context);
}

/** `widget`: the page carries the booking widget's script (a module: it runs once the page is parsed). */
export function renderPage(options: { title: string; content: string; widget?: boolean }): string {
  return layout(options);
}
