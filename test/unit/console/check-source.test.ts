import { checkSource } from '../../../src/console/workflows/editor/check-source';

/** The start of workflows/lead-booking.yaml, as a marketer types it. */
const LEAD_BOOKING = `id: lead-booking
name: Book a call with every new lead
trigger:
  type: contact.tag_added
  tag: lead
steps:
  - id: link
    name: Mint a one-time booking link
    type: generate_one_time_link
    calendar: discovery-call
    expiresIn: 14d

  - id: wait-for-booking
    type: wait
    duration: 2d
    event: appointment.booked
    calendar: discovery-call
    onEvent: booked
    onTimeout: booked

  - id: booked
    type: add_tag
    tag: booked
`;

describe("checking the console editor's text", () => {
  it('reports one YAML typo (a key indented one space short) as one issue with its line and column', () => {
    const typo = LEAD_BOOKING.replace(
      '    calendar: discovery-call\n    onEvent',
      '   calendar: discovery-call\n    onEvent',
    );
    const { issues, value } = checkSource(typo);
    expect(value).toBeUndefined();
    expect(issues).toEqual([{ path: '', line: 17, column: 1, message: expect.stringMatching(/^YAML syntax error/) }]);
  });

  it('reports an unclosed quote as one issue at the quote that opens it', () => {
    const typo = LEAD_BOOKING.replace('name: Mint a one-time booking link', 'name: "Mint a one-time booking link');
    const { issues } = checkSource(typo);
    expect(issues).toEqual([{ path: '', line: 8, column: 11, message: expect.stringContaining('never closed') }]);
  });

  it('reports schema issues only once the YAML parses', () => {
    const { issues } = checkSource(LEAD_BOOKING.replace('onTimeout: booked', 'onTimeout: finish'));
    expect(issues).toEqual([
      {
        path: 'steps[1].onTimeout',
        line: 19,
        message: "'No booking' of 'wait-for-booking' goes to 'finish', which does not exist",
      },
    ]);
  });

  it("checks calendars against the account's when given them, and not a templated one", () => {
    const calendars = { has: (ref: string) => ref === 'discovery-call' };
    expect(checkSource(LEAD_BOOKING, { calendars }).issues).toEqual([]);
    const typo = LEAD_BOOKING.replace(
      '    calendar: discovery-call\n    expiresIn',
      '    calendar: discovry-call\n    expiresIn',
    );
    expect(checkSource(typo, { calendars }).issues.map((issue) => [issue.path, issue.line])).toEqual([
      ['steps[0].calendar', 10],
    ]);
    const templated = LEAD_BOOKING.replace(/calendar: discovery-call/g, "calendar: '{{contact.customFields.cal}}'");
    expect(checkSource(templated, { calendars }).issues).toEqual([]);
  });
});
