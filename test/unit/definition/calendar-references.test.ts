import { calendarIssues, calendarSet, literalCalendars } from '../../../src/definition/calendar-references';

const ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

describe('calendars a definition names', () => {
  const definition = {
    trigger: { type: 'appointment.booked', calendar: 'demo' },
    steps: [
      { id: 'link', name: 'Mint a link', type: 'generate_one_time_link', calendar: '{{contact.customFields.cal}}' },
      { id: 'wait', type: 'wait', duration: '1d', event: 'appointment.booked', calendar: ID.toUpperCase() },
      { id: 'tag', type: 'add_tag', tag: 'demo', calendar: 'not-a-calendar-field' },
    ],
  };

  it('lists the literal ones of the trigger and of the step fields that name calendars, not templated ones', () => {
    expect(literalCalendars(definition)).toEqual([
      { path: 'trigger.calendar', calendar: 'demo' },
      { path: 'steps[1].calendar', stepId: 'wait', stepLabel: 'wait', calendar: ID.toUpperCase() },
    ]);
  });

  it('resolves an id in any case and a slug exactly, as a run does', () => {
    const calendars = calendarSet([{ id: ID, slug: 'demo' }]);
    expect(calendarIssues(definition, calendars)).toEqual([]);
    expect(calendars.has('Demo')).toBe(false);
    expect(calendarIssues(definition, calendarSet([])).map((issue) => issue.path)).toEqual([
      'trigger.calendar',
      'steps[1].calendar',
    ]);
  });
});
