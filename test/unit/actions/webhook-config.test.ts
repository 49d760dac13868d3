import { webhookAction } from '../../../src/actions/webhook';

const parse = (input: unknown) => webhookAction.configSchema.safeParse(input);

describe('the webhook config', () => {
  it('defaults method to POST and timeoutMs to 10 s', () => {
    expect(webhookAction.configSchema.parse({ url: 'https://example.com/hook' })).toEqual({
      url: 'https://example.com/hook',
      method: 'POST',
      timeoutMs: 10_000,
    });
  });

  it('accepts headers and any JSON body', () => {
    const result = parse({
      url: 'https://example.com/{{contact.id}}',
      method: 'PUT',
      headers: { 'X-Source': 'linkflow-{{workflow.slug}}' },
      body: { email: '{{contact.email}}', tags: ['a', 1, true, null], nested: { deep: '{{run.id}}' } },
      timeoutMs: 500,
    });
    expect(result.success).toBe(true);
  });

  it('is strict and checks every bound', () => {
    expect(parse({ url: 'https://example.com', retries: 3 }).success).toBe(false);
    expect(parse({ url: 'https://example.com', method: 'HEAD' }).success).toBe(false);
    expect(parse({ url: 'https://example.com', timeoutMs: 99 }).success).toBe(false);
    expect(parse({ url: 'https://example.com', timeoutMs: 60_001 }).success).toBe(false);
    expect(parse({ url: 'https://example.com', timeoutMs: 1000.5 }).success).toBe(false);
    expect(parse({ url: 'https://example.com', headers: { 'Bad Header': 'x' } }).success).toBe(false);
    expect(parse({ url: '' }).success).toBe(false);
  });

  it('refuses a template that does not compile anywhere in the body', () => {
    expect(parse({ url: 'https://example.com', body: { a: [{ b: '{{oops' }] } }).success).toBe(false);
  });

  it('refuses a body on a GET', () => {
    expect(parse({ url: 'https://example.com', method: 'GET', body: { a: 1 } }).success).toBe(false);
  });
});
