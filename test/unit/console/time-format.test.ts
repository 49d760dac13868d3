import { formatDateTime, formatDuration, formatShortDateTime } from '../../../src/console/views/time-format';
import { renderTemplate } from '../../../src/console/views/templates';
import { resolveViewZone } from '../../../src/console/views/view-zone';

const AT = '2026-12-04T21:58:11.789Z';

describe('console times', () => {
  it('are written in the given zone with its abbreviation', () => {
    expect(formatDateTime(AT, 'Europe/Paris')).toBe('Fri 4 Dec 2026, 22:58 CET');
    expect(formatDateTime(AT, 'UTC')).toBe('Fri 4 Dec 2026, 21:58 UTC');
    expect(formatDateTime(AT, 'America/New_York')).toBe('Fri 4 Dec 2026, 16:58 EST');
    expect(formatDateTime('2026-07-04T21:58:00Z', 'Europe/London')).toBe('Sat 4 Jul 2026, 22:58 BST');
    expect(formatDateTime(AT, 'Asia/Tokyo')).toBe('Sat 5 Dec 2026, 06:58 GMT+9');
    expect(formatDateTime(new Date(AT), 'Asia/Kolkata')).toBe('Sat 5 Dec 2026, 03:28 GMT+5:30');
  });

  it('show a dash for no time or a value that is not one', () => {
    for (const value of [null, undefined, '', 'soon', Number.NaN]) expect(formatDateTime(value, 'UTC')).toBe('—');
  });

  it('leave the year out of short times within the current year only', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(formatShortDateTime(AT, 'Europe/Paris', now)).toBe('Fri 4 Dec, 22:58 CET');
    expect(formatShortDateTime('2027-01-02T10:00:00Z', 'Europe/Paris', now)).toBe('Sat 2 Jan 2027, 11:00 CET');
    // New Year's Eve in UTC is already next year in Tokyo: the year compared is the zone's.
    expect(formatShortDateTime('2026-12-31T16:00:00Z', 'Asia/Tokyo', new Date('2026-12-31T12:00:00Z'))).toBe(
      'Fri 1 Jan 2027, 01:00 GMT+9',
    );
  });
});

describe('durations in words', () => {
  it.each([
    [0, '0 ms'],
    [350, '350 ms'],
    [999.4, '999 ms'],
    [999.6, '1 s'],
    [2_500, '2.5 s'],
    [12_340, '12 s'],
    [59_600, '1 min'],
    [61_851, '1 min 2 s'],
    [3_599_600, '1 h'],
    [3_900_000, '1 h 5 min'],
    [86_400_000, '1 day'],
    [2 * 86_400_000, '2 days'],
    [2 * 86_400_000 + 4 * 3_600_000, '2 days 4 h'],
  ])('reads %p ms as "%s"', (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });

  it('show a dash for what is not a duration', () => {
    for (const value of [-1, Number.POSITIVE_INFINITY, 'x', null]) expect(formatDuration(value)).toBe('—');
  });
});

describe('the zone a console page is written in', () => {
  const account = { accountZone: 'Europe/Paris', consoleZone: 'account' as const };
  const viewer = { accountZone: 'Europe/Paris', consoleZone: 'viewer' as const };

  it("is the account's zone unless the account chose the viewer's", () => {
    expect(resolveViewZone('lf_zone=Asia%2FTokyo', account)).toEqual({
      zone: 'Europe/Paris',
      source: 'account',
      viewerPending: false,
    });
    expect(resolveViewZone('lf_zone=Asia%2FTokyo', viewer)).toEqual({
      zone: 'Asia/Tokyo',
      source: 'viewer',
      viewerPending: false,
    });
  });

  it("canonicalises the browser's cookie and falls back to the account's zone for anything else", () => {
    expect(resolveViewZone('lf_zone=asia%2FTOKYO', viewer).zone).toBe('Asia/Tokyo');
    for (const cookie of [undefined, 'lf_zone=Mars%2FOlympus', 'lf_zone=%3Cscript%3E', `lf_zone=${'A'.repeat(5000)}`]) {
      expect(resolveViewZone(cookie, viewer)).toEqual({ zone: 'Europe/Paris', source: 'account', viewerPending: true });
    }
  });

  it('is what {{time}} writes, from the root of the page', () => {
    const view = '{{#each runs}}<td>{{time startedAt}}</td>{{/each}} took {{duration ms}}';
    const html = renderTemplate(view, { runs: [{ startedAt: AT }], ms: 61_851, viewZone: 'Europe/Paris' });
    expect(html).toBe('<td>Fri 4 Dec 2026, 22:58 CET</td> took 1 min 2 s');
    expect(renderTemplate(view, { runs: [{ startedAt: AT }], ms: 350 })).toBe(
      '<td>Fri 4 Dec 2026, 21:58 UTC</td> took 350 ms',
    );
    expect(renderTemplate(view, { runs: [{ startedAt: AT }], ms: 1, viewZone: 'Nowhere/City' })).toContain('21:58 UTC');
  });
});
