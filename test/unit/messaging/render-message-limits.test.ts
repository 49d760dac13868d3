import { TemplateLimitError } from '../../../src/templating/template-limits';
import { renderEmail, renderSms } from '../../../src/messaging/render-message';
import type { TemplateFiles } from '../../../src/messaging/template-files';
import { TemplateStore } from '../../../src/messaging/template-store';

const map = (entries: Record<string, string> = {}) =>
  new Map(Object.entries(entries).map(([name, source]) => [name, { file: name, source }]));

function store(files: Partial<Record<keyof TemplateFiles, Record<string, string>>>): TemplateStore {
  return new TemplateStore('templates/', {
    email: map(files.email),
    emailText: map(files.emailText),
    sms: map(files.sms),
    partials: map(files.partials),
    layouts: map(files.layouts),
  });
}

/** 200 × 200 = 40,000 iterations: allowed by the checks at load time (one repeated loop), over the bound when rendered. */
const SQUARE = '{{#each @root.trigger.data.list}}{{#each @root.trigger.data.list}}.{{/each}}{{/each}}';
const context = {
  trigger: { data: { list: Array.from({ length: 200 }, (_, i) => i) } },
  unsubscribeUrl: 'https://x.test/u',
};

describe('bounding the rendering of message templates', () => {
  const templates = store({
    email: {
      body: `---\nsubject: Hi\n---\n<p>${SQUARE}</p>`,
      subject: `---\nsubject: "${SQUARE}"\n---\n<p>ok</p>`,
      text: `---\nsubject: Hi\ntext: "${SQUARE}"\n---\n<p>ok</p>`,
      viaPartial: '---\nsubject: Hi\n---\n<p>{{> rows}}</p>',
      inLayout: '---\nsubject: Hi\nlayout: heavy\n---\n<p>ok</p>',
    },
    sms: { square: SQUARE },
    partials: { rows: SQUARE },
    layouts: { heavy: `<html><body>{{{body}}}${SQUARE}</body></html>` },
  });

  it('loads templates whose loops only the render can bound', () => {
    expect(templates.summary().problems).toEqual([]);
  });

  it('stops an email body, subject, text part, partial or layout past the iteration bound', () => {
    for (const template of ['body', 'subject', 'text', 'viaPartial', 'inLayout']) {
      expect(() => renderEmail(templates, { template }, context)).toThrow(TemplateLimitError);
    }
    expect(() => renderEmail(templates, { subject: 'Hi', html: SQUARE }, context)).toThrow(TemplateLimitError);
  });

  it('stops an SMS body past the iteration bound', () => {
    expect(() => renderSms(templates, { template: 'square' }, context)).toThrow(TemplateLimitError);
    expect(() => renderSms(templates, { body: SQUARE }, context)).toThrow(TemplateLimitError);
  });

  it('keeps out a template file whose loops can only exceed the bounds, naming why', () => {
    const cubic = '{{#each @root.a}}{{#each @root.a}}{{#each @root.a}}.{{/each}}{{/each}}{{/each}}';
    const folder = store({ email: { cubic: `---\nsubject: Hi\n---\n${cubic}` }, sms: { cubic } });
    expect(folder.email('cubic')).toBeUndefined();
    expect(folder.sms('cubic')).toBeUndefined();
    expect(folder.issue('email', 'cubic')).toMatch(/too costly/);
    expect(folder.issue('sms', 'cubic')).toMatch(/too costly/);
  });
});
