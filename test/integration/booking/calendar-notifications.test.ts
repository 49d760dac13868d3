import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { csrfOf, signedInAgent } from '../console/console-client';
import { ALL_DAY } from './booking-helpers';

describe("a calendar's notification switches", () => {
  let env: TestEnv;
  let apiKey: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'http://book.example.com' });
    ({ apiKey } = await createTestAccount(env.container));
    app = createApp(env.container);
  });
  afterAll(async () => {
    await env.cleanup();
  });

  const api = () => ({
    post: (path: string) => request(app).post(`/api/v1${path}`).set('Authorization', `Bearer ${apiKey}`),
    patch: (path: string) => request(app).patch(`/api/v1${path}`).set('Authorization', `Bearer ${apiKey}`),
    get: (path: string) => request(app).get(`/api/v1${path}`).set('Authorization', `Bearer ${apiKey}`),
  });

  describe('through the API', () => {
    it('are both on by default, and a PATCH switches one without touching the other', async () => {
      const created = await api()
        .post('/calendars')
        .send({ name: 'Switches', timezone: 'UTC', availability: ALL_DAY })
        .expect(201);
      expect(created.body.notifications).toEqual({ confirmation: true, ownerNotice: true });

      const patched = await api()
        .patch(`/calendars/${created.body.id}`)
        .send({ notifications: { ownerNotice: false } })
        .expect(200);
      expect(patched.body.notifications).toEqual({ confirmation: true, ownerNotice: false });
      const read = await api().get(`/calendars/${created.body.id}`).expect(200);
      expect(read.body.notifications).toEqual({ confirmation: true, ownerNotice: false });
    });

    it('takes them on create, and refuses anything but booleans with the field path', async () => {
      const created = await api()
        .post('/calendars')
        .send({ name: 'Silent', timezone: 'UTC', availability: ALL_DAY, notifications: { confirmation: false } })
        .expect(201);
      expect(created.body.notifications).toEqual({ confirmation: false, ownerNotice: true });

      const refused = await api()
        .patch(`/calendars/${created.body.id}`)
        .send({ notifications: { confirmation: 'yes', sms: true } })
        .expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(
        expect.arrayContaining(['notifications.confirmation']),
      );
    });
  });

  describe("in the console's calendar form", () => {
    const form = (csrf: string, extra: Record<string, string>): Record<string, string> => ({
      _csrf: csrf,
      name: 'Form call',
      slug: '',
      timezone: 'UTC',
      durationMinutes: '30',
      bookingWindowDays: '30',
      minNoticeMinutes: '0',
      ownerName: 'Olive Owner',
      ownerEmail: 'olive@example.com',
      avail_mon_0_start: '09:00',
      avail_mon_0_end: '17:00',
      avail_mon_0_on: 'on',
      ...extra,
    });

    const checkbox = (html: string, label: string): string | undefined =>
      new RegExp(`<label><input type="checkbox"[^>]*>\\s*${label}</label>`).exec(html)?.[0];

    it('shows both checkboxes, checked for a new calendar, and saves what is ticked', async () => {
      const { agent } = await signedInAgent(env.container, apiKey);
      const blank = await agent.get('/app/calendars/new').expect(200);
      expect(checkbox(blank.text, 'Email a confirmation to the contact')).toContain(' checked');
      expect(checkbox(blank.text, "Email a notice to the calendar's owner")).toContain(' checked');

      const created = await agent
        .post('/app/calendars')
        .type('form')
        .send(form(csrfOf(blank.text), { notifyOwner: 'on' }))
        .expect(303);
      const calendarId = /\/app\/calendars\/([0-9a-f-]{36})/.exec(created.headers.location!)![1]!;
      const stored: { notifications: unknown }[] = await env.container.db.query(
        'SELECT notifications FROM calendars WHERE id = $1',
        [calendarId],
      );
      expect(stored[0]!.notifications).toEqual({ confirmation: false, ownerNotice: true });

      const edit = await agent.get(`/app/calendars/${calendarId}`).expect(200);
      expect(checkbox(edit.text, 'Email a confirmation to the contact')).not.toContain(' checked');
      expect(checkbox(edit.text, "Email a notice to the calendar's owner")).toContain(' checked');

      await agent
        .post(`/app/calendars/${calendarId}`)
        .type('form')
        .send(form(csrfOf(edit.text), { notifyConfirmation: 'on' }))
        .expect(303);
      const after: { notifications: unknown }[] = await env.container.db.query(
        'SELECT notifications FROM calendars WHERE id = $1',
        [calendarId],
      );
      expect(after[0]!.notifications).toEqual({ confirmation: true, ownerNotice: false });
    });
  });
});
