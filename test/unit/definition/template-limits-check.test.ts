import { parseDefinition } from '../../../src/definition/parse-definition';
import { MAX_NESTING } from '../../../src/templating/template-limits';
import { ValidationError, type IssueDetail } from '../../../src/lib/errors';
import { validDefinition } from './definitions';
import { fakeLookup } from './fake-actions';

const each = (path: string) => `{{#each ${path}}}`;
const nested = (paths: string[], body = '.') => `${paths.map(each).join('')}${body}${'{{/each}}'.repeat(paths.length)}`;

function withTemplate(path: 'tag' | 'body', template: string) {
  const input = validDefinition();
  if (path === 'tag') input.steps[0] = { id: 'tag', type: 'add_tag', tag: template };
  else
    input.steps[4] = { id: 'vip', type: 'webhook', url: 'https://example.com', body: { items: [{ text: template }] } };
  return input;
}

function issuesOf(input: unknown): IssueDetail[] {
  try {
    parseDefinition(input, { stepTypes: fakeLookup });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  return [];
}

describe('checking the cost of a template when a definition is saved', () => {
  it('rejects three nested loops over @root lists, at the field holding the template', () => {
    const template = nested(['@root.steps.x.list', '@root.steps.x.list', '@root.steps.x.list']);
    const tagIssues = issuesOf(withTemplate('tag', template));
    expect(tagIssues.map((issue) => issue.path)).toEqual(['steps[0].tag']);
    expect(issuesOf(withTemplate('body', template)).map((issue) => issue.path)).toEqual([
      'steps[4].body.items[0].text',
    ]);
  });

  it('rejects loops over ../ paths repeated inside loops, and implicit blocks over lists', () => {
    expect(issuesOf(withTemplate('tag', nested(['list', '../list', '../../list'])))).toHaveLength(1);
    expect(
      issuesOf(withTemplate('tag', '{{#@root.a}}{{#@root.a}}{{#@root.a}}.{{/@root.a}}{{/@root.a}}{{/@root.a}}')),
    ).toHaveLength(1);
  });

  it('rejects loops nested more than three deep, even over the current item', () => {
    expect(issuesOf(withTemplate('tag', nested(['orders', 'items', 'options'])))).toEqual([]);
    expect(issuesOf(withTemplate('tag', nested(['orders', 'items', 'options', 'values'])))).toHaveLength(1);
  });

  it(`rejects blocks nested more than ${MAX_NESTING} levels deep, but not a long else-if chain`, () => {
    const deep = (levels: number) => `${'{{#if a}}'.repeat(levels)}x${'{{/if}}'.repeat(levels)}`;
    expect(issuesOf(withTemplate('tag', deep(MAX_NESTING)))).toEqual([]);
    expect(issuesOf(withTemplate('tag', deep(MAX_NESTING + 1)))).toHaveLength(1);
    const chain = `{{#if a}}a${Array.from({ length: 20 }, (_, i) => `{{else if b${i}}}b`).join('')}{{else}}c{{/if}}`;
    expect(issuesOf(withTemplate('tag', chain))).toEqual([]);
  });

  it('accepts one loop over a @root list inside another loop, and loops over the current item', () => {
    expect(issuesOf(withTemplate('tag', nested(['@root.contacts', '@root.tags'])))).toEqual([]);
    expect(issuesOf(withTemplate('tag', nested(['contact.tags', 'this'])))).toEqual([]);
  });

  it('trusts a stored version: its templates are not checked for cost again when it loads', () => {
    const template = nested(['@root.a', '@root.a', '@root.a']);
    expect(
      parseDefinition(withTemplate('tag', template), { stepTypes: fakeLookup, stored: true }).steps[0]!.config,
    ).toEqual({ tag: template });
  });
});
