import { conditionSchema, type Condition } from '../../../src/definition/steps/condition-schema';
import { evaluateConditions, readPath } from '../../../src/engine/conditions';

const context = {
  contact: {
    firstName: 'Ada',
    email: '',
    tags: ['VIP', 'newsletter'],
    noTags: [],
    score: 42,
    dnd: false,
    customFields: { plan: 'Pro Annual', signedUpAt: '2025-03-10T10:00:00Z', seats: '12' },
  },
  trigger: { data: { amount: 99.5, nothing: null } },
};

const holds = (condition: Condition): boolean => evaluateConditions([condition], 'all', context);

describe('reading a path of the run context', () => {
  it('follows dot paths through own properties', () => {
    expect(readPath(context, 'contact.customFields.plan')).toBe('Pro Annual');
    expect(readPath(context, 'contact.tags.1')).toBe('newsletter');
  });

  it('gives undefined for a missing path, through null or past a scalar', () => {
    expect(readPath(context, 'contact.nope.deeper')).toBeUndefined();
    expect(readPath(context, 'trigger.data.nothing.x')).toBeUndefined();
    expect(readPath(context, 'contact.firstName.length')).toBeUndefined();
  });

  it('never reaches the prototype', () => {
    expect(readPath(context, 'contact.constructor')).toBeUndefined();
    expect(readPath(context, '__proto__')).toBeUndefined();
    expect(readPath(context, 'contact.tags.map')).toBeUndefined();
    expect(readPath(context, 'contact.toString')).toBeUndefined();
  });
});

describe('condition ops', () => {
  it('equals / not_equals compare scalars as strings, case-insensitively', () => {
    expect(holds({ field: 'contact.firstName', op: 'equals', value: 'ada' })).toBe(true);
    expect(holds({ field: 'contact.score', op: 'equals', value: '42' })).toBe(true);
    expect(holds({ field: 'contact.dnd', op: 'equals', value: false })).toBe(true);
    expect(holds({ field: 'contact.firstName', op: 'equals', value: 'ad' })).toBe(false);
    expect(holds({ field: 'contact.firstName', op: 'not_equals', value: 'Bob' })).toBe(true);
    expect(holds({ field: 'contact.firstName', op: 'not_equals', value: 'ADA' })).toBe(false);
  });

  it('equals on an array field means the array has that element', () => {
    expect(holds({ field: 'contact.tags', op: 'equals', value: 'vip' })).toBe(true);
    expect(holds({ field: 'contact.tags', op: 'equals', value: 'news' })).toBe(false);
    expect(holds({ field: 'contact.tags', op: 'not_equals', value: 'vip' })).toBe(false);
  });

  it('a missing field equals nothing', () => {
    expect(holds({ field: 'contact.missing', op: 'equals', value: '' })).toBe(false);
    expect(holds({ field: 'contact.missing', op: 'not_equals', value: 'x' })).toBe(true);
  });

  it('contains / not_contains: substrings of strings, case-insensitively', () => {
    expect(holds({ field: 'contact.customFields.plan', op: 'contains', value: 'annual' })).toBe(true);
    expect(holds({ field: 'contact.customFields.plan', op: 'contains', value: 'monthly' })).toBe(false);
    expect(holds({ field: 'contact.customFields.plan', op: 'not_contains', value: 'monthly' })).toBe(true);
  });

  it('contains / not_contains: elements of arrays, not substrings of elements', () => {
    expect(holds({ field: 'contact.tags', op: 'contains', value: 'Newsletter' })).toBe(true);
    expect(holds({ field: 'contact.tags', op: 'contains', value: 'news' })).toBe(false);
    expect(holds({ field: 'contact.tags', op: 'not_contains', value: 'vip' })).toBe(false);
    expect(holds({ field: 'contact.missing', op: 'contains', value: 'x' })).toBe(false);
  });

  it('exists / not_exists: null, undefined, empty string and empty array do not exist', () => {
    expect(holds({ field: 'contact.firstName', op: 'exists' })).toBe(true);
    expect(holds({ field: 'contact.dnd', op: 'exists' })).toBe(true);
    for (const field of ['contact.email', 'contact.noTags', 'trigger.data.nothing', 'contact.missing']) {
      expect(holds({ field, op: 'exists' })).toBe(false);
      expect(holds({ field, op: 'not_exists' })).toBe(true);
    }
  });

  it('gt / lt compare numbers, also numeric strings', () => {
    expect(holds({ field: 'contact.score', op: 'gt', value: 41 })).toBe(true);
    expect(holds({ field: 'contact.score', op: 'gt', value: 42 })).toBe(false);
    expect(holds({ field: 'contact.score', op: 'lt', value: '100' })).toBe(true);
    expect(holds({ field: 'contact.customFields.seats', op: 'gt', value: 9 })).toBe(true);
    expect(holds({ field: 'trigger.data.amount', op: 'lt', value: 99.4 })).toBe(false);
  });

  it('gt / lt compare ISO date-times by time, across offsets', () => {
    expect(holds({ field: 'contact.customFields.signedUpAt', op: 'gt', value: '2025-03-10T10:30:00+01:00' })).toBe(
      true,
    );
    expect(holds({ field: 'contact.customFields.signedUpAt', op: 'lt', value: '2025-03-10T11:00:00+01:00' })).toBe(
      false,
    );
    expect(holds({ field: 'contact.customFields.signedUpAt', op: 'lt', value: '2025-04-01' })).toBe(true);
  });

  it('gt / lt are false for things that are neither numbers nor dates, or missing', () => {
    expect(holds({ field: 'contact.firstName', op: 'gt', value: 'A' })).toBe(false);
    expect(holds({ field: 'contact.firstName', op: 'lt', value: 'Z' })).toBe(false);
    expect(holds({ field: 'contact.missing', op: 'lt', value: 5 })).toBe(false);
  });
});

describe('matching several conditions', () => {
  const yes: Condition = { field: 'contact.tags', op: 'contains', value: 'vip' };
  const no: Condition = { field: 'contact.score', op: 'lt', value: 10 };

  it('all: every condition must hold', () => {
    expect(evaluateConditions([yes, yes], 'all', context)).toBe(true);
    expect(evaluateConditions([yes, no], 'all', context)).toBe(false);
  });

  it('any: one is enough', () => {
    expect(evaluateConditions([no, yes], 'any', context)).toBe(true);
    expect(evaluateConditions([no, no], 'any', context)).toBe(false);
  });
});

describe('the condition schema', () => {
  it('needs a value for every op but exists and not_exists', () => {
    expect(conditionSchema.safeParse({ field: 'contact.email', op: 'exists' }).success).toBe(true);
    expect(conditionSchema.safeParse({ field: 'contact.email', op: 'equals' }).success).toBe(false);
  });

  it('rejects unknown ops, unknown fields and bad templates', () => {
    expect(conditionSchema.safeParse({ field: 'contact.email', op: 'matches', value: 'x' }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'contact.email', op: 'equals', value: 'x', extra: 1 }).success).toBe(
      false,
    );
    expect(conditionSchema.safeParse({ field: 'contact.email', op: 'equals', value: '{{oops' }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'contact..email', op: 'exists' }).success).toBe(false);
  });
});
