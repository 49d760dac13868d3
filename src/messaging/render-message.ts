import Handlebars from 'handlebars';
import { renderTemplate } from '../templating/template';
import { NonRetryableError } from '../lib/step-errors';
import { htmlToText } from './html-to-text';
import type { TemplateStore } from './template-store';

/** Where an email's content comes from: a named template, or inline templates of the step. */
export interface EmailSource {
  template?: string;
  /** Inline, or overrides the template's subject. */
  subject?: string;
  html?: string;
  text?: string;
  /** A layout of `layouts/` around inline HTML. Default: none (file templates choose their own). */
  layout?: string | false;
}

export interface SmsSource {
  template?: string;
  body?: string;
}

export interface EmailContent {
  subject: string;
  html: string | null;
  text: string;
}

/**
 * The context of an email's templates: the run's, plus `unsubscribeUrl`; '' for an email to no
 * contact (a calendar owner's notice), which gets no unsubscribe footer.
 */
export type EmailContext = object & { unsubscribeUrl: string };

function unusable(store: TemplateStore, kind: 'email' | 'sms', name: string): NonRetryableError {
  return new NonRetryableError(store.issue(kind, name) ?? `${kind} template '${name}' is not loaded`);
}

/**
 * Every email carries a way out: when the template did not place `{{unsubscribeUrl}}` itself (the
 * default layout does), a footer with it is added to the HTML and a line to the text.
 */
function withUnsubscribeFooter(content: EmailContent, url: string): EmailContent {
  if (url === '') return content;
  let { html, text } = content;
  if (html !== null && !html.includes(Handlebars.escapeExpression(url))) {
    const footer = `<p style="font-size:12px;color:#666666">Don't want these emails? <a href="${Handlebars.escapeExpression(url)}">Unsubscribe</a>.</p>`;
    html = /<\/body\s*>/i.test(html) ? html.replace(/<\/body\s*>/i, `${footer}</body>`) : `${html}\n${footer}`;
  }
  if (!text.includes(url)) text = `${text}${text ? '\n\n' : ''}Unsubscribe: ${url}`;
  return { ...content, html, text };
}

/**
 * Renders an email: the subject and text without HTML escaping, the HTML (and its layout) with it,
 * the text part derived from the HTML when no text template is given. Failures are NonRetryableError.
 */
export function renderEmail(store: TemplateStore, source: EmailSource, context: EmailContext): EmailContent {
  const { partials } = store;
  let subject = source.subject;
  let html = source.html ?? null;
  let text = source.text ?? null;
  let layout: string | null = null;
  if (source.template !== undefined) {
    const template = store.email(source.template);
    if (!template) throw unusable(store, 'email', source.template);
    subject ??= template.subject;
    ({ html, text, layout } = template);
  } else if (typeof source.layout === 'string') {
    layout = store.layout(source.layout) ?? null;
    if (layout === null)
      throw new NonRetryableError(store.layoutIssue(source.layout) ?? `no layout '${source.layout}'`);
  }
  if (subject === undefined) throw new NonRetryableError('an email needs a subject');

  const renderedSubject = renderTemplate(subject, context, { partials }).replace(/\s+/g, ' ').trim();
  if (renderedSubject === '') throw new NonRetryableError('the email subject rendered to an empty string');
  let renderedHtml = html === null ? null : renderTemplate(html, context, { html: true, partials });
  if (renderedHtml !== null && layout !== null) {
    renderedHtml = renderTemplate(layout, { ...context, body: renderedHtml }, { html: true, partials });
  }
  const renderedText =
    text !== null
      ? renderTemplate(text, context, { partials }).trim()
      : renderedHtml !== null
        ? htmlToText(renderedHtml)
        : '';
  return withUnsubscribeFooter(
    { subject: renderedSubject, html: renderedHtml, text: renderedText },
    context.unsubscribeUrl,
  );
}

/** Renders an SMS body, not HTML-escaped; an empty body is a NonRetryableError. */
export function renderSms(store: TemplateStore, source: SmsSource, context: object): string {
  let body = source.body;
  if (source.template !== undefined) {
    const template = store.sms(source.template);
    if (!template) throw unusable(store, 'sms', source.template);
    body = template.body;
  }
  if (body === undefined) throw new NonRetryableError('an SMS needs a body');
  const rendered = renderTemplate(body, context, { partials: store.partials }).trim();
  if (rendered === '') throw new NonRetryableError('the SMS body rendered to an empty string');
  return rendered;
}
