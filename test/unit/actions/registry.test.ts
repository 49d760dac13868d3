import { ACTION_TYPES, getAction } from '../../../src/actions/registry';

describe('the action registry', () => {
  it('knows every action type', () => {
    expect([...ACTION_TYPES].sort()).toEqual([
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
    for (const type of ACTION_TYPES) expect(getAction(type)?.type).toBe(type);
  });

  it('knows no other', () => {
    expect(getAction('send_fax')).toBeUndefined();
  });
});
