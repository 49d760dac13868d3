import { endAction } from '../../../src/actions/end';
import { actionContext } from './action-context';

describe('the end action', () => {
  it('takes no config at all', () => {
    expect(endAction.configSchema.safeParse({}).success).toBe(true);
    expect(endAction.configSchema.safeParse({ reason: 'done' }).success).toBe(false);
  });

  it('ends the run and never falls through', async () => {
    expect(await endAction.execute(actionContext({ config: {} }))).toEqual({ kind: 'end' });
    expect(endAction.fallsThrough?.({})).toBe(false);
  });
});
