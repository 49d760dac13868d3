import { parseDefinition } from '../../../src/definition/parse-definition';
import { ValidationError, type IssueDetail } from '../../../src/lib/errors';
import { validDefinition } from './definitions';
import { fakeLookup } from './fake-actions';

function issuesOf(input: unknown): IssueDetail[] {
  try {
    parseDefinition(input, { stepTypes: fakeLookup });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('validation_failed');
    return (error as ValidationError).issues;
  }
  throw new Error('expected the definition to be rejected');
}

const paths = (issues: IssueDetail[]): string[] => issues.map((issue) => issue.path);

describe('parsing a workflow definition', () => {
  it('accepts a valid definition and parses each step config with its action', () => {
    const definition = parseDefinition(validDefinition(), { stepTypes: fakeLookup });
    expect(definition.status).toBe('active');
    expect(definition.allowReentry).toBe(false);
    expect(definition.steps.map((step) => step.id)).toEqual(['tag', 'pause', 'booked', 'check', 'vip', 'done']);
    expect(definition.steps[1]!.config).toEqual({
      duration: 86_400_000,
      event: 'appointment.booked',
      onEvent: 'booked',
      onTimeout: 'check',
    });
    expect(definition.steps[3]!.config.match).toBe('all');
    expect(definition.steps[2]).toEqual({ id: 'booked', type: 'add_tag', next: 'done', config: { tag: 'booked' } });
  });

  it('lower-cases the trigger tag', () => {
    expect(parseDefinition(validDefinition(), { stepTypes: fakeLookup }).trigger).toEqual({
      type: 'contact.tag_added',
      tag: 'lead',
    });
  });

  it('rejects an unknown step type at the step type, naming the known types', () => {
    const input = validDefinition();
    input.steps[0] = { id: 'tag', type: 'send_fax', number: '123' };
    const issues = issuesOf(input);
    expect(paths(issues)).toEqual(['steps[0].type']);
    expect(issues[0]!.message).toContain('add_tag');
  });

  it('reports config problems at their path inside the step', () => {
    const input = validDefinition();
    input.steps[0] = { id: 'tag', type: 'add_tag', tag: 42, colour: 'red' };
    expect(paths(issuesOf(input)).sort()).toEqual(['steps[0]', 'steps[0].tag']);
  });

  it('rejects a duration that is not one', () => {
    const input = validDefinition();
    input.steps[1]!.duration = 'a while';
    expect(paths(issuesOf(input))).toEqual(['steps[1].duration']);
  });

  it('rejects duplicate step ids at the second one', () => {
    const input = validDefinition();
    input.steps[4]!.id = 'tag';
    expect(paths(issuesOf(input))).toContain('steps[4].id');
  });

  it('rejects a next that names no step', () => {
    const input = validDefinition();
    input.steps[2]!.next = 'foo';
    expect(issuesOf(input)).toContainEqual({
      path: 'steps[2].next',
      message: "'booked' goes next to 'foo', which does not exist",
    });
  });

  it('rejects a branch target that names no step, at the branch field', () => {
    const input = validDefinition();
    input.steps[3]!.then = 'nowhere';
    expect(issuesOf(input)).toContainEqual({
      path: 'steps[3].then',
      message: "'Yes' of 'check' goes to 'nowhere', which does not exist",
    });
  });

  it('rejects a step that no path from the first step reaches', () => {
    const input = validDefinition();
    input.steps.push({ id: 'orphan', type: 'add_tag', tag: 'x' });
    expect(issuesOf(input)).toEqual([{ path: 'steps[6]', message: "'orphan' can never run: no step leads to it" }]);
  });

  it('rejects a cycle at the jump that closes it', () => {
    const input = validDefinition();
    input.steps[2]!.next = 'pause';
    expect(paths(issuesOf(input))).toEqual(['steps[2].next']);
  });

  it('rejects a step that jumps to itself', () => {
    const input = validDefinition();
    input.steps[3]!.else = 'check';
    expect(paths(issuesOf(input))).toEqual(['steps[3].else']);
  });

  it('rejects a cycle closed by a branch even when falling through leads into it', () => {
    const input = validDefinition();
    input.steps[4] = { id: 'vip', type: 'add_tag', tag: 'vip', next: 'check' };
    expect(paths(issuesOf(input))).toEqual(['steps[4].next']);
  });

  it('rejects a template that does not compile, at the string inside the config', () => {
    const input = validDefinition();
    input.steps[4]!.body = { name: '{{#if contact.firstName}}{{contact.firstName}}' };
    const issues = issuesOf(input);
    expect(paths(issues)).toEqual(['steps[4].body.name']);
    expect(issues[0]!.message).toMatch(/^template does not compile: /);
  });

  it('reports a broken template once even when the action checks it too', () => {
    const input = validDefinition();
    input.steps[4]!.url = 'https://example.com/{{contact.id';
    expect(paths(issuesOf(input))).toEqual(['steps[4].url']);
  });

  it('requires the fields of the trigger type', () => {
    const input = validDefinition();
    input.trigger = { type: 'contact.tag_added' };
    expect(paths(issuesOf(input))).toEqual(['trigger.tag']);
  });

  it('rejects a definition without steps', () => {
    expect(paths(issuesOf({ ...validDefinition(), steps: [] }))).toEqual(['steps']);
  });

  it('rejects what is not an object at all', () => {
    expect(issuesOf('steps: []')).toHaveLength(1);
  });

  it('reports every problem at once', () => {
    const input = validDefinition();
    input.name = '';
    input.steps[0] = { id: 'tag', type: 'add_tag', tag: 'nurturing', next: 'foo' };
    input.steps[1]!.duration = 'soon';
    input.steps[3]!.else = 'nowhere';
    input.steps[4]!.type = 'send_fax';
    input.steps.push({ id: 'tag', type: 'add_tag', tag: 'again' });
    expect(paths(issuesOf(input)).sort()).toEqual(
      ['name', 'steps[0].next', 'steps[1].duration', 'steps[3].else', 'steps[4].type', 'steps[6].id'].sort(),
    );
  });
});
