import { actions } from '../../../src/actions';
import { STEP_TYPES, stepTypeOf } from '../../../src/definition/step-types';

describe('the step types and their actions', () => {
  it('knows every step type, each with its action', () => {
    expect([...STEP_TYPES].sort()).toEqual([
      'add_tag',
      'end',
      'generate_one_time_link',
      'if_else',
      'remove_tag',
      'send_email',
      'send_sms',
      'update_contact',
      'wait',
      'webhook',
    ]);
    for (const type of STEP_TYPES) {
      expect(stepTypeOf(type)?.type).toBe(type);
      expect(actions[type].type).toBe(type);
    }
  });

  it('knows no other', () => {
    expect(stepTypeOf('send_fax')).toBeUndefined();
  });
});
