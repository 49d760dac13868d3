import { addTagAction } from '../../../src/actions/add-tag';
import { removeTagAction } from '../../../src/actions/remove-tag';
import { updateContactAction } from '../../../src/actions/update-contact';

describe('the add_tag and remove_tag configs', () => {
  it.each([addTagAction, removeTagAction])('$type takes one templated tag and nothing else', (action) => {
    expect(action.configSchema.safeParse({ tag: 'vip' }).success).toBe(true);
    expect(action.configSchema.safeParse({ tag: 'plan-{{trigger.data.plan}}' }).success).toBe(true);
    expect(action.configSchema.safeParse({ tag: '' }).success).toBe(false);
    expect(action.configSchema.safeParse({}).success).toBe(false);
    expect(action.configSchema.safeParse({ tag: 'vip', tags: ['x'] }).success).toBe(false);
    expect(action.configSchema.safeParse({ tag: '{{oops' }).success).toBe(false);
  });
});

describe('the update_contact config', () => {
  const parse = (set: unknown) => updateContactAction.configSchema.safeParse({ set });

  it('accepts the standard fields and custom fields by name, with template, number, boolean or null values', () => {
    const result = parse({
      firstName: '{{trigger.data.first}}',
      lastName: null,
      email: 'x@example.com',
      phone: '+15550100',
      timezone: 'Europe/Paris',
      dnd: true,
      'customFields.score': 10,
      'customFields.plan_name': 'pro',
    });
    expect(result.success).toBe(true);
  });

  it('refuses keys outside the pattern, naming the key', () => {
    for (const key of [
      'id',
      'tags',
      'customFields',
      'customFields.',
      'customFields.a.b',
      'customFields.' + 'x'.repeat(101),
      'custom_fields.x',
      'FirstName',
    ]) {
      const result = parse({ [key]: 'x' });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ code: 'invalid_key', path: ['set', key] });
    }
  });

  it('refuses an empty set, objects as values, bad templates and unknown top-level fields', () => {
    expect(parse({}).success).toBe(false);
    expect(parse({ firstName: { a: 1 } }).success).toBe(false);
    expect(parse({ firstName: '{{oops' }).success).toBe(false);
    expect(updateContactAction.configSchema.safeParse({ set: { firstName: 'a' }, unset: ['lastName'] }).success).toBe(
      false,
    );
  });
});
