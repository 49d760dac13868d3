import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import YAML from 'yaml';
import { accountCalendars } from '../../../src/booking/calendar-references';
import { createApp } from '../../../src/roles/http-app';
import { getWorkflow } from '../../../src/workflows/workflow-repository';
import { syncWorkflowFiles } from '../../../src/workflows/workflow-sync';
import { bookingApi } from '../booking/booking-helpers';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/** A booking workflow naming `calendar` in its link step, its wait and (optionally) its trigger. */
function bookingWorkflow(id: string, calendar: string, changes: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    trigger: { type: 'contact.tag_added', tag: id },
    steps: [
      { id: 'link', name: 'Mint a link', type: 'generate_one_time_link', calendar, expiresIn: '14d' },
      { id: 'wait', type: 'wait', duration: '2d', event: 'appointment.booked', calendar, onEvent: 'done' },
      { id: 'done', type: 'end' },
    ],
    ...changes,
  };
}

/** A logger that keeps what was warned. */
function capturingLogger() {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }),
  } as never;
  return { warnings, logger };
}

describe('calendars named by a workflow, checked against the account', () => {
  let env: TestEnv;
  let app: Express;
  let auth: { Authorization: string };
  let accountId: string;
  let calendarId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    app = createApp(env.container);
    const account = await createTestAccount(env.container);
    accountId = account.accountId;
    auth = { Authorization: `Bearer ${account.apiKey}` };
    calendarId = (await bookingApi(app, account.apiKey).createCalendar({ slug: 'discovery-call' })).id;
    // Another account's calendar is not this account's.
    const other = await createTestAccount(env.container, { name: 'Other' });
    await bookingApi(app, other.apiKey).createCalendar({ slug: 'elsewhere' });
  });
  afterAll(async () => env.cleanup());

  const post = (body: object) => request(app).post('/api/v1/workflows').set(auth).send(body);
  const pathsOf = (res: request.Response): string[] =>
    res.body.error.issues.map((issue: { path: string }) => issue.path).sort();

  it('refuses to save a misspelled calendar, at each step and the trigger that names it', async () => {
    const body = bookingWorkflow('misspelled', 'discovry-call', {
      trigger: { type: 'appointment.booked', calendar: 'discovry-call' },
    });
    const res = await post(body).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(pathsOf(res)).toEqual(['steps[0].calendar', 'steps[1].calendar', 'trigger.calendar']);
    expect((await request(app).get('/api/v1/workflows/misspelled').set(auth)).status).toBe(404);
  });

  it("refuses another account's calendar", async () => {
    const res = await post(bookingWorkflow('foreign', 'elsewhere')).expect(400);
    expect(pathsOf(res)).toEqual(['steps[0].calendar', 'steps[1].calendar']);
  });

  it('refuses a new version naming an unknown calendar', async () => {
    await post(bookingWorkflow('renamed-later', 'discovery-call')).expect(201);
    const res = await request(app)
      .put('/api/v1/workflows/renamed-later')
      .set(auth)
      .send(bookingWorkflow('renamed-later', 'discovery-cal'))
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(pathsOf(res)).toEqual(['steps[0].calendar', 'steps[1].calendar']);
  });

  it('accepts a calendar by slug or id, and a templated calendar it cannot check', async () => {
    await post(bookingWorkflow('by-slug', 'discovery-call')).expect(201);
    await post(bookingWorkflow('by-id', calendarId)).expect(201);
    await post(bookingWorkflow('templated', '{{contact.customFields.cal}}')).expect(201);
  });

  it('warns, and does not fail, when a workflow file names a calendar the account does not have', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lf-calendar-files-'));
    try {
      await writeFile(path.join(dir, 'from-file.yaml'), YAML.stringify(bookingWorkflow('from-file', 'not-yet')));
      const { warnings, logger } = capturingLogger();
      const summary = await env.container.db.transaction(async (tx) =>
        syncWorkflowFiles(tx, accountId, dir, { calendars: await accountCalendars(tx, accountId), log: logger }),
      );
      expect(summary.created).toEqual(['from-file']);
      const workflow = await getWorkflow(env.container.db.manager, accountId, 'from-file');
      expect(warnings.map((warning) => warning.fields)).toEqual([
        { workflowId: workflow.id, slug: 'from-file', stepId: 'link', path: 'steps[0].calendar', calendar: 'not-yet' },
        { workflowId: workflow.id, slug: 'from-file', stepId: 'wait', path: 'steps[1].calendar', calendar: 'not-yet' },
      ]);
      expect(new Set(warnings.map((warning) => warning.message)).size).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('the workflows list', () => {
    it('warns of an active workflow whose calendar no longer resolves, and not of a draft or a templated one', async () => {
      const cal = await request(app)
        .post('/api/v1/calendars')
        .set(auth)
        .send({
          name: 'Moving',
          slug: 'moving-call',
          timezone: 'UTC',
          availability: [{ day: 'mon', start: '09:00', end: '17:00' }],
          ownerName: 'Olive',
          ownerEmail: 'olive@example.com',
        })
        .expect(201);
      await post(bookingWorkflow('moving-active', 'moving-call')).expect(201);
      await post(bookingWorkflow('moving-draft', 'moving-call', { status: 'draft' })).expect(201);
      await request(app).patch(`/api/v1/calendars/${cal.body.id}`).set(auth).send({ slug: 'moved-call' }).expect(200);

      const list = await request(app).get('/api/v1/workflows').query({ limit: 200 }).set(auth).expect(200);
      const bySlug = new Map(
        list.body.items.map((item: { slug: string; warnings: unknown }) => [item.slug, item.warnings]),
      );
      expect(bySlug.get('moving-active')).toEqual([
        { path: 'steps[0].calendar', message: expect.stringContaining("'moving-call'") },
        { path: 'steps[1].calendar', message: expect.stringContaining("'moving-call'") },
      ]);
      expect(bySlug.get('moving-draft')).toEqual([]);
      expect(bySlug.get('templated')).toEqual([]);
      expect(bySlug.get('by-slug')).toEqual([]);
    });
  });
});
