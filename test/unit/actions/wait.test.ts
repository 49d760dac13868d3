import { waitAction } from '../../../src/actions/wait';
import { NonRetryableError } from '../../../src/lib/step-errors';
import { actionContext } from './action-context';

const parse = (input: unknown) => waitAction.configSchema.safeParse(input);
const run = (input: unknown, context = {}) =>
  waitAction.execute(actionContext({ config: waitAction.configSchema.parse(input), context }));

describe('the wait config', () => {
  it('accepts a duration, an until, or both, plus an event', () => {
    expect(parse({ duration: '2h' }).success).toBe(true);
    expect(parse({ duration: 5000 }).success).toBe(true);
    expect(parse({ until: '2030-01-01T09:00:00Z' }).success).toBe(true);
    expect(parse({ until: '{{contact.customFields.renewsAt}}' }).success).toBe(true);
    expect(
      parse({ duration: 'P3D', until: '2030-01-01', event: 'form_submitted', onEvent: 'thanks', onTimeout: 'nudge' })
        .success,
    ).toBe(true);
  });

  it('refuses a wait with neither duration nor until, saying so', () => {
    const result = parse({ event: 'form_submitted' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('a wait needs a duration, an until, or both');
  });

  it('refuses bad durations, bad literal dates and bad templates', () => {
    expect(parse({ duration: '5 minutes' }).success).toBe(false);
    expect(parse({ duration: -1 }).success).toBe(false);
    expect(parse({ until: 'next tuesday' }).success).toBe(false);
    expect(parse({ until: '{{contact.x' }).success).toBe(false);
  });

  it('narrows booking events to a calendar, and only booking events', () => {
    expect(parse({ duration: '2d', event: 'appointment.booked', calendar: 'discovery-call' }).success).toBe(true);
    expect(parse({ duration: '2d', event: 'link.redeemed', calendar: 'discovery-call' }).success).toBe(true);
    const custom = parse({ duration: '2d', event: 'form_submitted', calendar: 'discovery-call' });
    expect(custom.success).toBe(false);
    expect(custom.error?.issues[0]?.path).toEqual(['calendar']);
  });

  it('is strict: an unknown field is an error', () => {
    expect(parse({ duration: '5m', timeout: '1h' }).success).toBe(false);
  });

  it('refuses onEvent without an event', () => {
    expect(parse({ duration: '5m', onEvent: 'next' }).success).toBe(false);
  });

  it('names onEvent and onTimeout as targets', () => {
    const config = waitAction.configSchema.parse({ duration: '1d', event: 'x', onEvent: 'a', onTimeout: 'b' });
    expect(waitAction.targets?.(config)).toEqual([
      { path: 'onEvent', stepId: 'a' },
      { path: 'onTimeout', stepId: 'b' },
    ]);
    expect(waitAction.fallsThrough?.(config) ?? true).toBe(true);
  });
});

describe('running a wait', () => {
  it('waits for now + duration, for no event', async () => {
    const before = Date.now();
    const outcome = await run({ duration: '2h' });
    expect(outcome).toMatchObject({ kind: 'wait', event: null });
    const until = (outcome as { until: Date }).until.getTime();
    expect(until).toBeGreaterThanOrEqual(before + 7_200_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 7_200_000);
  });

  it('waits until a rendered date-time, for an event, with both branches', async () => {
    const outcome = await run(
      { until: '{{trigger.data.at}}', event: 'form_submitted', onEvent: 'thanks', onTimeout: 'nudge' },
      { trigger: { type: 'manual', data: { at: '2030-01-01T09:00:00Z' } } },
    );
    expect(outcome).toEqual({
      kind: 'wait',
      until: new Date('2030-01-01T09:00:00Z'),
      event: 'form_submitted',
      onEvent: 'thanks',
      onTimeout: 'nudge',
    });
  });

  it("reads an until without an offset in the contact's zone", async () => {
    const outcome = await run({ until: '2030-01-01T09:00' }, { contact: { id: 'c1', timezone: 'America/New_York' } });
    expect(outcome).toMatchObject({ until: new Date('2030-01-01T14:00:00Z') });
  });

  it('waits until the earlier of duration and until', async () => {
    const soon = await run({ duration: '1h', until: '2099-01-01T00:00:00Z' });
    expect((soon as { until: Date }).until.getTime()).toBeLessThan(Date.now() + 3_600_001);
    const early = await run({ duration: '1w', until: '2020-01-01T00:00:00Z' });
    expect(early).toMatchObject({ until: new Date('2020-01-01T00:00:00Z') });
  });

  it('fails without retry when until does not render to a date', async () => {
    await expect(run({ until: '{{trigger.data.missing}}' })).rejects.toBeInstanceOf(NonRetryableError);
    await expect(
      run({ until: '{{trigger.data.at}}' }, { trigger: { type: 'manual', data: { at: 'soon' } } }),
    ).rejects.toBeInstanceOf(NonRetryableError);
  });
});
