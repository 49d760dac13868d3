import Handlebars from 'handlebars';

/** Public pages are server-rendered with Handlebars into this one layout; no asset comes from elsewhere. */
const pages = Handlebars.create();

const layout = pages.compile(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{title}}</title>
<link rel="stylesheet" href="/assets/linkflow.css">
</head>
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

export function renderPage(options: { title: string; content: string }): string {
  return layout(options);
}
