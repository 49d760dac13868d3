import { NonRetryableError } from '../../../src/lib/step-errors';
import { renderEmail, renderSms } from '../../../src/messaging/render-message';
import type { TemplateFiles } from '../../../src/messaging/template-files';
import { TemplateStore } from '../../../src/messaging/template-store';

const file = (source: string) => ({ file: 'x', source });

function store(files: Partial<Record<keyof TemplateFiles, Record<string, string>>>): TemplateStore {
  const map = (entries: Record<string, string> = {}) =>
    new Map(Object.entries(entries).map(([name, source]) => [name, file(source)]));
  return new TemplateStore('templates/', {
    email: map(files.email),
    emailText: map(files.emailText),
    sms: map(files.sms),
    partials: map(files.partials),
    layouts: map(files.layouts),
  });
}

const context = {
  contact: {
    firstName: '<b>Ada</b>',
    first_name: '<b>Ada</b>',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    phone: '+14155550123',
    timezone: 'Europe/Paris',
    customFields: { plan: 'pro' },
  },
  account: { id: 'a', name: 'Acme', timezone: 'UTC' },
  steps: { link: { url: 'https://x.test/b/1?a=1&b=2' } },
  trigger: { data: { at: '2025-06-01T08:00:00Z' } },
  unsubscribeUrl: 'https://x.test/u/abc.def',
};

describe('rendering an email', () => {
  const templates = store({
    email: {
      hello:
        '---\nsubject: "Hi {{contact.first_name}} & {{upper contact.customFields.plan}}"\n---\n<p>Hi {{contact.first_name}}</p>{{> sig}}',
      bare: '---\nsubject: Bare\nlayout: false\ntext: "Text for {{contact.first_name}}"\n---\n<p>{{steps.link.url}}</p>',
    },
    partials: { sig: '<p>— {{account.name}}</p>' },
    layouts: { email: '<html><body>{{{body}}}<p><a href="{{unsubscribeUrl}}">Leave</a></p></body></html>' },
  });

  it('escapes HTML values but not the subject or the text, and wraps the default layout', () => {
    const email = renderEmail(templates, { template: 'hello' }, context);
    expect(email.subject).toBe('Hi <b>Ada</b> & PRO');
    expect(email.html).toBe(
      '<html><body><p>Hi &lt;b&gt;Ada&lt;/b&gt;</p><p>— Acme</p><p><a href="https://x.test/u/abc.def">Leave</a></p></body></html>',
    );
    expect(email.text).toBe('Hi <b>Ada</b>\n\n— Acme\n\nLeave (https://x.test/u/abc.def)');
  });

  it('uses the front matter text part, and adds the unsubscribe link wherever a template left it out', () => {
    const email = renderEmail(templates, { template: 'bare' }, context);
    expect(email.html).toContain('<p>https://x.test/b/1?a&#x3D;1&amp;b&#x3D;2</p>');
    expect(email.html).toContain('<a href="https://x.test/u/abc.def">Unsubscribe</a>');
    expect(email.text).toBe('Text for <b>Ada</b>\n\nUnsubscribe: https://x.test/u/abc.def');
  });

  it('renders inline templates, with a subject override and helpers', () => {
    const email = renderEmail(
      templates,
      {
        subject: '{{capitalize contact.last_name}} {{formatDate trigger.data.at "HH:mm"}}',
        text: '{{default contact.nickname "friend"}}',
      },
      context,
    );
    expect(email).toEqual({
      subject: 'Lovelace 10:00',
      html: null,
      text: 'friend\n\nUnsubscribe: https://x.test/u/abc.def',
    });
    expect(renderEmail(templates, { template: 'hello', subject: 'Override' }, context).subject).toBe('Override');
  });

  it('cannot reach prototypes', () => {
    expect(
      renderEmail(templates, { subject: 's', text: '[{{contact.constructor.name}}][{{__proto__}}]' }, context).text,
    ).toMatch(/^\[\]\[\]/);
  });

  it('fails with a NonRetryableError on an empty subject or an unknown template', () => {
    expect(() => renderEmail(templates, { subject: '{{contact.nothing}}', text: 'x' }, context)).toThrow(
      NonRetryableError,
    );
    expect(() => renderEmail(templates, { template: 'nope' }, context)).toThrow(NonRetryableError);
  });
});

describe('rendering an SMS', () => {
  it('does not escape, and uses the file or the inline body', () => {
    const templates = store({ sms: { remind: 'Hi {{contact.first_name}} & co: {{steps.link.url}}' } });
    expect(renderSms(templates, { template: 'remind' }, context)).toBe(
      'Hi <b>Ada</b> & co: https://x.test/b/1?a=1&b=2',
    );
    expect(renderSms(templates, { body: '{{lower contact.last_name}} {{contact.phone}}' }, context)).toBe(
      'lovelace +14155550123',
    );
    expect(() => renderSms(templates, { body: '  ' }, context)).toThrow(NonRetryableError);
  });
});
