import { ifElseAction } from '../../../src/actions/if-else';
import { actionContext } from './action-context';

const parse = (input: unknown) => ifElseAction.configSchema.safeParse(input);
const base = { then: 'vip_path', else: 'regular_path' };

describe('the if_else config', () => {
  it('defaults match to all', () => {
    const config = ifElseAction.configSchema.parse({ ...base, conditions: [{ field: 'contact.email', op: 'exists' }] });
    expect(config.match).toBe('all');
  });

  it('needs at least one condition, both branches and no unknown fields', () => {
    expect(parse({ ...base, conditions: [] }).success).toBe(false);
    expect(parse({ then: 'a', conditions: [{ field: 'contact.email', op: 'exists' }] }).success).toBe(false);
    expect(parse({ ...base, conditions: [{ field: 'contact.email', op: 'exists' }], otherwise: 'x' }).success).toBe(
      false,
    );
    expect(parse({ ...base, match: 'most', conditions: [{ field: 'contact.email', op: 'exists' }] }).success).toBe(
      false,
    );
  });

  it('targets then and else and never falls through', () => {
    const config = ifElseAction.configSchema.parse({ ...base, conditions: [{ field: 'contact.email', op: 'exists' }] });
    expect(ifElseAction.targets?.(config)).toEqual([
      { path: 'then', stepId: 'vip_path' },
      { path: 'else', stepId: 'regular_path' },
    ]);
    expect(ifElseAction.fallsThrough?.(config)).toBe(false);
  });
});

describe('running an if_else', () => {
  const run = (input: unknown) =>
    ifElseAction.execute(actionContext({ config: ifElseAction.configSchema.parse(input) }));

  it('goes to then when the conditions hold', async () => {
    const outcome = await run({ ...base, conditions: [{ field: 'contact.tags', op: 'contains', value: 'VIP' }] });
    expect(outcome).toEqual({ kind: 'completed', output: { result: true }, next: 'vip_path' });
  });

  it('goes to else when they do not', async () => {
    const outcome = await run({
      ...base,
      match: 'all',
      conditions: [
        { field: 'contact.tags', op: 'contains', value: 'vip' },
        { field: 'contact.firstName', op: 'equals', value: 'Bob' },
      ],
    });
    expect(outcome).toEqual({ kind: 'completed', output: { result: false }, next: 'regular_path' });
  });

  it('renders a condition value as a template before comparing', async () => {
    const outcome = await run({
      ...base,
      conditions: [{ field: 'contact.email', op: 'contains', value: '{{contact.firstName}}@' }],
    });
    expect(outcome).toMatchObject({ next: 'vip_path' });
  });
});
