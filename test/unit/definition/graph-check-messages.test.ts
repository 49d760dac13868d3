import { parseDefinition } from '../../../src/definition/parse-definition';
import { exitLabel, stepLabel } from '../../../src/definition/step-labels';
import { ValidationError, type IssueDetail } from '../../../src/lib/errors';

/** The flagship booking workflow (workflows/lead-booking.yaml), steps named as a marketer would. */
function leadBooking(): Record<string, unknown> & { steps: Record<string, unknown>[] } {
  return {
    id: 'lead-booking',
    name: 'Book a call',
    trigger: { type: 'contact.tag_added', tag: 'lead' },
    steps: [
      { id: 'link', name: 'Mint a link', type: 'generate_one_time_link', calendar: 'discovery-call' },
      { id: 'invite', name: 'Email the link', type: 'send_email', subject: 'Hi', text: 'Book: {{link.url}}' },
      {
        id: 'wait-for-booking',
        name: 'Give them two days to book',
        type: 'wait',
        duration: '2d',
        event: 'appointment.booked',
        onEvent: 'booked',
        onTimeout: 'no-booking',
      },
      { id: 'no-booking', name: 'Tag as not booked', type: 'add_tag', tag: 'no-booking', next: 'done' },
      { id: 'booked', type: 'add_tag', tag: 'booked' },
      { id: 'done', type: 'end' },
    ],
  };
}

function issuesOf(input: unknown): IssueDetail[] {
  try {
    parseDefinition(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected the definition to be rejected');
}

describe('graph checks in plain language', () => {
  it("names a wait's timeout exit by its meaning and the step by its name when the exit goes nowhere", () => {
    const input = leadBooking();
    input.steps[2]!.onTimeout = 'finish';
    expect(issuesOf(input)).toEqual([
      {
        path: 'steps[2].onTimeout',
        message: "'No booking' of 'Give them two days to book' goes to 'finish', which does not exist",
      },
    ]);
  });

  it("names a wait's event exit by the event's plain name", () => {
    const input = leadBooking();
    input.steps[2]!.onEvent = 'celebrate';
    expect(issuesOf(input)).toContainEqual({
      path: 'steps[2].onEvent',
      message: "'Booked' of 'Give them two days to book' goes to 'celebrate', which does not exist",
    });
  });

  it('names an if / else exit Yes or No', () => {
    const input = leadBooking();
    input.steps[4] = {
      id: 'booked',
      name: 'Is it a VIP?',
      type: 'if_else',
      conditions: [{ field: 'contact.tags', op: 'contains', value: 'vip' }],
      then: 'vip-desk',
      else: 'done',
    };
    expect(issuesOf(input)).toEqual([
      { path: 'steps[4].then', message: "'Yes' of 'Is it a VIP?' goes to 'vip-desk', which does not exist" },
    ]);
  });

  it("says where a step's next goes, falling back to the step id when it has no name", () => {
    const input = leadBooking();
    input.steps[4]!.next = 'finish';
    expect(issuesOf(input)).toEqual([
      { path: 'steps[4].next', message: "'booked' goes next to 'finish', which does not exist" },
    ]);
  });

  it('names both steps of a loop', () => {
    const input = leadBooking();
    input.steps[3]!.next = 'link';
    expect(issuesOf(input)).toEqual([
      {
        path: 'steps[3].next',
        message: "'Tag as not booked' goes next back to 'Mint a link', which makes a loop: a workflow must not loop",
      },
    ]);
  });

  it('says a step no other leads to can never run', () => {
    const input = leadBooking();
    input.steps.push({ id: 'orphan', name: 'Tag as lost', type: 'add_tag', tag: 'lost' });
    expect(issuesOf(input)).toEqual([
      { path: 'steps[6]', message: "'Tag as lost' can never run: no step leads to it" },
    ]);
  });

  it('names the earlier step that already has a duplicated id', () => {
    const input = leadBooking();
    input.steps[4]!.id = 'invite';
    expect(issuesOf(input)).toContainEqual({
      path: 'steps[4].id',
      message: "'invite' has the id 'invite', which step 2 ('Email the link') already has: each step needs its own id",
    });
  });
});

describe('step and exit labels', () => {
  it('calls a step by its name, else its id, else its place', () => {
    expect([stepLabel({ id: 'a', name: 'Send it' }), stepLabel({ id: 'a', name: ' ' }), stepLabel({}, 2)]).toEqual([
      'Send it',
      'a',
      'step 3',
    ]);
  });

  it('labels a wait on a custom event by its name and its timeout as Time out', () => {
    const config = { event: 'demo-requested' };
    expect([exitLabel('wait', 'onEvent', config), exitLabel('wait', 'onTimeout', config)]).toEqual([
      "Event 'demo-requested'",
      'Time out',
    ]);
  });
});
