import { IANAZone } from 'luxon';
import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi, bookPath } from './booking-helpers';

/** `n` distinct case variants of `name` (n ≤ 2^letters). */
function spellings(name: string, n: number): string[] {
  return Array.from({ length: n }, (_, mask) =>
    [...name].map((ch, i) => ((mask >> i) & 1 ? ch.toUpperCase() : ch.toLowerCase())).join(''),
  );
}

describe('the visitor zone of the public pages', () => {
  let env: TestEnv;
  let app: ReturnType<typeof createApp>;
  let linkPath: string;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_RATE_LIMIT: '0' });
    const { apiKey } = await createTestAccount(env.container);
    app = createApp(env.container);
    const api = bookingApi(app, apiKey);
    const calendar = await api.createCalendar({ slug: 'zones', timezone: 'America/New_York' });
    linkPath = bookPath((await api.mintLink(calendar.id)).url);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => env.cleanup());

  it('hands luxon only the canonical name of a zone, however a visitor spells it', async () => {
    const zonesGivenToLuxon = new Set<string>();
    const create = IANAZone.create.bind(IANAZone);
    jest.spyOn(IANAZone, 'create').mockImplementation((name: string) => {
      zonesGivenToLuxon.add(name);
      return create(name);
    });
    for (const [index, tz] of spellings('europe/london', 50).entries()) {
      const path = index % 2 === 0 ? '/c/zones' : linkPath;
      const page = await request(app).get(path).query({ tz }).set('Accept', 'text/html').expect(200);
      expect(page.text).toContain('<option value="Europe/London" selected>');
    }
    expect([...zonesGivenToLuxon].sort()).toEqual(['America/New_York', 'Europe/London']);
  });

  it('falls back to the calendar zone for a zone that does not exist', async () => {
    for (const tz of ['Mars/Base', 'Europe/London\u0000', 'x'.repeat(500), '']) {
      const page = await request(app).get('/c/zones').query({ tz }).set('Accept', 'text/html').expect(200);
      expect(page.text).toContain('<option value="America/New_York" selected>');
    }
  });
});
