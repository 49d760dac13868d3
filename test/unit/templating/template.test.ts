import { assertTemplateCompiles, renderTemplate, templateString } from '../../../src/templating/template';
import { NonRetryableError } from '../../../src/lib/step-errors';

const context = {
  contact: { firstName: 'ada', lastName: '<Lovelace>', email: '', timezone: 'America/New_York', tags: ['vip'] },
  account: { timezone: 'Europe/Paris' },
  trigger: { data: { at: '2025-03-10T15:30:00Z', bad: 'not a date', millis: 0 } },
};

describe('rendering a template', () => {
  it('leaves text as is in text mode', () => {
    expect(renderTemplate('Hi {{contact.lastName}} & co', context)).toBe('Hi <Lovelace> & co');
  });

  it('escapes HTML in html mode only', () => {
    expect(renderTemplate('<p>{{contact.lastName}}</p>', context, { html: true })).toBe('<p>&lt;Lovelace&gt;</p>');
  });

  it('keeps text and html compilations of one source apart', () => {
    const source = '{{contact.lastName}}!';
    expect(renderTemplate(source, context, { html: true })).toBe('&lt;Lovelace&gt;!');
    expect(renderTemplate(source, context)).toBe('<Lovelace>!');
  });

  it('renders a missing path as nothing', () => {
    expect(renderTemplate('[{{contact.nope.deeper}}]', context)).toBe('[]');
  });

  it('sees no prototype properties', () => {
    expect(
      renderTemplate(
        '[{{constructor.name}}][{{__proto__}}][{{contact.constructor}}][{{contact.__proto__.toString}}]',
        context,
      ),
    ).toBe('[][][][]');
    expect(renderTemplate('[{{lookup contact "constructor"}}][{{contact.hasOwnProperty}}]', context)).toBe('[][]');
  });

  it('fails a step with a NonRetryableError when a template throws while rendering', () => {
    expect(() => renderTemplate('{{nosuchhelper contact.firstName}}', context)).toThrow(NonRetryableError);
    expect(() => renderTemplate('{{#if}}', context)).toThrow(NonRetryableError);
  });
});

describe('template helpers', () => {
  it('default: falls back for a missing or empty value only', () => {
    expect(renderTemplate('Hi {{default contact.firstName "there"}}', context)).toBe('Hi ada');
    expect(renderTemplate('Hi {{default contact.nickname "there"}}', context)).toBe('Hi there');
    expect(renderTemplate('Hi {{default contact.email "there"}}', context)).toBe('Hi there');
    expect(renderTemplate('[{{default trigger.data.millis "x"}}]', context)).toBe('[0]');
  });

  it('upper, lower and capitalize', () => {
    expect(
      renderTemplate('{{upper contact.firstName}} {{lower "ADA"}} {{capitalize contact.firstName}}', context),
    ).toBe('ADA ada Ada');
    expect(renderTemplate('[{{upper contact.missing}}][{{capitalize ""}}]', context)).toBe('[][]');
  });

  it('json', () => {
    expect(renderTemplate('{{json contact.tags}}', context)).toBe('["vip"]');
    expect(renderTemplate('{{json contact.tags}}', context, { html: true })).toBe('[&quot;vip&quot;]');
  });

  it("formatDate: in the contact's zone by default", () => {
    expect(renderTemplate('{{formatDate trigger.data.at "yyyy-MM-dd HH:mm ZZZZ"}}', context)).toBe(
      '2025-03-10 11:30 EDT',
    );
  });

  it('formatDate: in an explicit zone', () => {
    expect(renderTemplate('{{formatDate trigger.data.at "HH:mm" "Asia/Tokyo"}}', context)).toBe('00:30');
  });

  it("formatDate: in the account's zone when the contact has none, else UTC", () => {
    const noContactZone = { ...context, contact: { ...context.contact, timezone: null } };
    expect(renderTemplate('{{formatDate trigger.data.at "HH:mm"}}', noContactZone)).toBe('16:30');
    expect(renderTemplate('{{formatDate trigger.data.at "HH:mm"}}', { trigger: context.trigger })).toBe('15:30');
  });

  it('formatDate: an invalid date renders as nothing', () => {
    expect(renderTemplate('[{{formatDate trigger.data.bad "fff"}}][{{formatDate trigger.data.none}}]', context)).toBe(
      '[][]',
    );
  });

  it('formatDate: the default format is fff', () => {
    expect(renderTemplate('{{formatDate trigger.data.at}}', { trigger: context.trigger })).toMatch(
      /^March 10, 2025 at 3:30\sPM UTC$/,
    );
  });
});

describe('checking a template when a definition loads', () => {
  it("throws the parser's message for a template that does not compile", () => {
    expect(() => assertTemplateCompiles('Hi {{contact.firstName')).toThrow(/Parse error/);
    expect(() => assertTemplateCompiles('{{#if x}}open')).toThrow(/Parse error|doesn't match/);
  });

  it('accepts a valid template', () => {
    expect(() => assertTemplateCompiles('Hi {{default contact.firstName "there"}}')).not.toThrow();
  });

  it('templateString reports a bad template as an issue', () => {
    expect(templateString.safeParse('{{oops').success).toBe(false);
    expect(templateString.safeParse('{{ok}}').success).toBe(true);
  });
});
