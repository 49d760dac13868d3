import request from 'supertest';
import { createCalendar } from '../../../src/booking/calendar-service';
import { jobIds } from '../../../src/queue/job-ids';
import { bookingUrl } from '../../../src/links/booking-url';
import { mintLink } from '../../../src/links/link-service';
import { urlSignerOf } from '../../../src/lib/signed-tokens';
import { createApp } from '../../../src/roles/http-app';
import { pruneRetainedData } from '../../../src/roles/retention';
import { RUN_PRUNE_BATCH } from '../../../src/engine/run-retention';
import { OUTBOX_PRUNE_BATCH } from '../../../src/events/outbox-retention';
import { LINK_PRUNE_BATCH } from '../../../src/links/link-retention';
import { addContact, addWorkflow } from '../../helpers/engine';
import { parseMetrics, type Sample } from '../../helpers/prometheus-text';
import {
  planNodesOf,
  planOf,
  recordStatements,
  seqScannedTables,
  statementsTouching,
  type PlanNode,
} from '../../helpers/query-plans';
import { fillRunHistory } from '../../helpers/run-history';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY, bookPath } from '../booking/booking-helpers';

jest.setTimeout(300_000);

const GROWING = ['runs', 'run_steps', 'outbox_events', 'messages', 'one_time_links', 'appointments'] as const;
const DAY_MS = 86_400_000;

const indexesOf = (plan: PlanNode): string[] =>
  planNodesOf(plan).flatMap((node) => (node['Index Name'] ? [node['Index Name']] : []));

describe('the retention job on tables holding 120,000 finished runs', () => {
  let env: TestEnv;
  const plans = new Map<string, PlanNode>();

  beforeAll(async () => {
    env = await createTestEnv();
    const c = env.container;
    const { accountId } = await createTestAccount(c);
    const calendar = await c.db.transaction((tx) =>
      createCalendar(tx, accountId, { name: 'History', timezone: 'UTC', availability: ALL_DAY }),
    );
    const workflow = await addWorkflow(c, accountId, {
      id: 'history',
      name: 'History',
      trigger: { type: 'manual' },
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'old' },
        { id: 'wait', type: 'wait', duration: '1h', event: 'paid' },
        { id: 'done', type: 'end' },
      ],
    });
    await fillRunHistory(c, {
      accountId,
      workflowId: workflow.id,
      version: 1,
      calendarId: calendar.id,
      runs: 120_000,
      batch: 0,
    });
    // Spent links, to be deleted among the history's links.
    await c.db.query(
      `UPDATE one_time_links SET status = 'expired' WHERE id IN (SELECT id FROM one_time_links LIMIT 5000)`,
    );
    await c.db.query('ANALYZE');
    // A year and a half later, everything in the history is past its retention: each table gives
    // full batches, taken in turns, and a budget stops the job after a few of them (in batches, not
    // seconds, so that a fast machine cannot catch up within it: CI once pruned all 120,000 in 5 s).
    const recording = recordStatements(c.db);
    const result = await pruneRetainedData(c, {
      now: new Date(Date.now() + 500 * DAY_MS),
      budgetMs: 60_000,
      maxBatches: 9,
    });
    recording.stop();
    expect(result).toMatchObject({
      outboxEvents: 3 * OUTBOX_PRUNE_BATCH,
      runs: 3 * RUN_PRUNE_BATCH,
      links: 3 * LINK_PRUNE_BATCH,
      caughtUp: false,
    });
    expect(Math.min(result.outboxEvents, result.runs, result.links)).toBeGreaterThan(0);
    for (const statement of statementsTouching(recording.statements, GROWING))
      plans.set(statement.sql.replace(/\s+/g, ' ').trim(), await planOf(c.db, statement));
  });
  afterAll(async () => env?.cleanup());

  const planFor = (table: string): PlanNode => {
    const found = [...plans].find(([sql]) => sql.includes(`DELETE FROM ${table} `));
    if (!found) throw new Error(`no DELETE FROM ${table} was recorded`);
    return found[1];
  };

  it('picks each batch from an index holding only what it may delete, oldest first', () => {
    expect(indexesOf(planFor('outbox_events'))).toContain('outbox_events_published');
    expect(indexesOf(planFor('runs'))).toContain('runs_finished');
    expect(indexesOf(planFor('one_time_links'))).toContain('one_time_links_spent');
  });

  it('plans no sequential scan of a growing table in any statement it ran', () => {
    const scans = [...plans].filter(([, plan]) => seqScannedTables(plan, GROWING).length > 0).map(([sql]) => sql);
    expect(scans).toEqual([]);
  });

  it('finds what a deleted run or link takes with it by index: steps, messages, minted links, appointments', async () => {
    // The statements PostgreSQL runs for the foreign keys (ON DELETE CASCADE / SET NULL), one per row.
    const id = '00000000-0000-4000-8000-000000000000';
    for (const sql of [
      'DELETE FROM run_steps WHERE run_id = $1',
      'DELETE FROM messages WHERE run_id = $1',
      'UPDATE one_time_links SET run_id = NULL WHERE run_id = $1',
      'UPDATE appointments SET link_id = NULL WHERE link_id = $1',
    ]) {
      const plan = await planOf(env.container.db, { sql, params: [id] });
      expect({ sql, scans: seqScannedTables(plan, GROWING) }).toEqual({ sql, scans: [] });
    }
  });
});

describe('what the retention job deletes and what it keeps', () => {
  let env: TestEnv;
  let accountId: string;
  let workflowId: string;
  let contactId: string;
  let calendarId: string;
  const app = () => createApp(env.container);
  const db = () => env.container.db;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    ({ accountId } = await createTestAccount(env.container));
    workflowId = (
      await addWorkflow(env.container, accountId, {
        id: 'kept',
        name: 'Kept',
        trigger: { type: 'manual' },
        steps: [
          { id: 'mail', type: 'send_email', subject: 'Hi', text: 'Hello' },
          { id: 'pause', type: 'wait', duration: '400d' },
        ],
      })
    ).id;
    contactId = (await addContact(env.container, accountId, { email: 'kept@example.com' })).id;
    calendarId = (
      await db().transaction((tx) =>
        createCalendar(tx, accountId, {
          name: 'Kept',
          timezone: 'UTC',
          availability: ALL_DAY,
          ownerName: 'Olive Owner',
          ownerEmail: 'olive@example.com',
        }),
      )
    ).id;
  });
  afterAll(async () => env?.cleanup());

  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

  /** A run `status` since `days` ago (finished then, unless live), with its mail step and message. */
  async function addRun(status: string, days: number): Promise<string> {
    const live = status === 'running' || status === 'waiting';
    const [run] = (await db().query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, started_at, finished_at)
       VALUES ($1, $2, 1, $3, $4, $5, '{"type":"manual","data":{}}', $6, $7) RETURNING id`,
      [accountId, workflowId, contactId, status, live ? 'pause' : null, daysAgo(days + 1), live ? null : daysAgo(days)],
    )) as { id: string }[];
    await db().query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts) VALUES ($1, 'mail', 'send_email', 0, 'completed', 1)`,
      [run!.id],
    );
    await db().query(
      `INSERT INTO messages (account_id, contact_id, run_id, step_id, channel, "to", status) VALUES ($1, $2, $3, 'mail', 'email', 'kept@example.com', 'sent')`,
      [accountId, contactId, run!.id],
    );
    return run!.id;
  }

  /** A link with this status and expiry, optionally minted by `runId`; returns its id and its URL. */
  async function addLink(status: string, expiresDaysAgo: number, runId: string | null = null) {
    const { row } = await db().transaction((tx) =>
      mintLink(
        tx,
        { accountId, calendarId, contactId, origin: runId ? { runId, stepId: 'mint' } : undefined },
        env.config.LINK_SECRET,
      ),
    );
    await db().query(`UPDATE one_time_links SET status = $2, expires_at = $3, uses = $4 WHERE id = $1`, [
      row.id,
      status,
      daysAgo(expiresDaysAgo),
      status === 'used' ? 1 : 0,
    ]);
    return { id: row.id, url: bookingUrl(urlSignerOf(env.config), row.id, row.token_salt) };
  }

  async function addEvent(published: Date | null, created = hoursAgo(30)): Promise<string> {
    const [row] = (await db().query(
      `INSERT INTO outbox_events (account_id, type, contact_id, created_at, published_at) VALUES ($1, 'kept', $2, $3, $4) RETURNING id`,
      [accountId, contactId, created, published],
    )) as { id: string }[];
    return row!.id;
  }

  const exists = async (table: string, id: string) =>
    ((await db().query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])) as unknown[]).length === 1;
  const countersOf = (samples: Sample[]) =>
    samples
      .filter((sample) =>
        ['linkflow_runs_total', 'linkflow_links_total', 'linkflow_messages_total'].includes(sample.name),
      )
      .map((sample) => `${sample.name}${JSON.stringify(sample.labels)} ${sample.value}`)
      .sort();
  const scrape = async () => parseMetrics((await request(app()).get('/metrics').expect(200)).text);

  it('deletes finished runs past RUN_RETENTION_DAYS with their steps and messages, and keeps live and recent ones', async () => {
    const old = {
      completed: await addRun('completed', 100),
      failed: await addRun('failed', 91),
      cancelled: await addRun('cancelled', 95),
    };
    const kept = {
      recent: await addRun('completed', 89),
      waiting: await addRun('waiting', 200),
      running: await addRun('running', 200),
    };
    // A link the old run minted outlives it, for its own retention.
    const minted = await addLink('active', -30, old.completed);
    const before = countersOf(await scrape());

    const result = await pruneRetainedData(env.container);

    expect(result).toMatchObject({ runs: 3, caughtUp: true });
    for (const id of Object.values(old)) expect(await exists('runs', id)).toBe(false);
    for (const id of Object.values(kept)) expect(await exists('runs', id)).toBe(true);
    const children: { steps: number; messages: number }[] = await db().query(
      `SELECT (SELECT count(*) FROM run_steps WHERE run_id = ANY($1::uuid[]))::int AS steps,
              (SELECT count(*) FROM messages WHERE run_id = ANY($1::uuid[]))::int AS messages`,
      [Object.values(old)],
    );
    expect(children[0]).toEqual({ steps: 0, messages: 0 });
    const keptChildren: { steps: number; messages: number }[] = await db().query(
      `SELECT (SELECT count(*) FROM run_steps WHERE run_id = ANY($1::uuid[]))::int AS steps,
              (SELECT count(*) FROM messages WHERE run_id = ANY($1::uuid[]))::int AS messages`,
      [Object.values(kept)],
    );
    expect(keptChildren[0]).toEqual({ steps: 3, messages: 3 });
    expect(await db().query('SELECT status, run_id FROM one_time_links WHERE id = $1', [minted.id])).toEqual([
      { status: 'active', run_id: null },
    ]);
    // /metrics counts the deleted runs and messages as before: the same numbers, none lower.
    expect(countersOf(await scrape())).toEqual(before);
  });

  it("keeps a spent link's page naming the owner for LINK_RETENTION_DAYS past its expiry, then deletes it", async () => {
    const used = await addLink('used', 400);
    const expired = await addLink('expired', 366);
    const revoked = await addLink('revoked', 370);
    const recent = await addLink('expired', 300);
    // Past its time but not marked yet: an active link is never deleted (the expiry job marks it first).
    const unmarked = await addLink('active', 400);
    const [appointment] = (await db().query(
      `INSERT INTO appointments (account_id, calendar_id, contact_id, link_id, start_at, end_at, status, token_salt, reschedule_token_hash, cancel_token_hash)
       VALUES ($1, $2, $3, $4, now() - interval '400 days', now() - interval '400 days' + interval '30 minutes', 'booked', 's', 'r-kept', 'c-kept')
       RETURNING id`,
      [accountId, calendarId, contactId, used.id],
    )) as { id: string }[];
    const page = async (url: string) => request(app()).get(bookPath(url));
    expect((await page(used.url)).status).toBe(410);
    expect((await page(used.url)).text).toContain('Please contact Olive Owner');
    const before = countersOf(await scrape());

    const result = await pruneRetainedData(env.container);

    expect(result).toMatchObject({ links: 3, caughtUp: true });
    for (const link of [used, expired, revoked]) expect(await exists('one_time_links', link.id)).toBe(false);
    for (const link of [recent, unmarked]) expect(await exists('one_time_links', link.id)).toBe(true);
    expect(await db().query('SELECT link_id FROM appointments WHERE id = $1', [appointment!.id])).toEqual([
      { link_id: null },
    ]);
    expect((await page(recent.url)).text).toContain('Please contact Olive Owner');
    const gone = await page(used.url);
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('This link has expired');
    expect(gone.text).not.toContain('Olive Owner');
    expect(countersOf(await scrape())).toEqual(before);
  });

  it('deletes events published over OUTBOX_RETENTION_HOURS ago, but none a queued job will still read', async () => {
    const unpublished = await addEvent(null);
    const fresh = await addEvent(hoursAgo(5));
    const old = await addEvent(hoursAgo(7));
    const older = await addEvent(hoursAgo(12));
    // An event still waiting in a queue (a backlog, a retry): its job reads it by id when it runs.
    const queued = await addEvent(hoursAgo(8));
    const events = env.container.queues.queue('events');
    await env.container.queues.add('event.process', { eventId: queued }, { jobId: jobIds.event(queued) });

    const first = await pruneRetainedData(env.container);

    // Only what was published over an hour before the queued event goes: `older`.
    expect(first.outboxEvents).toBe(1);
    expect(await exists('outbox_events', older)).toBe(false);
    for (const id of [unpublished, fresh, old, queued]) expect(await exists('outbox_events', id)).toBe(true);

    await events.remove(jobIds.event(queued));
    const second = await pruneRetainedData(env.container);

    expect(second.outboxEvents).toBe(2);
    for (const id of [old, queued]) expect(await exists('outbox_events', id)).toBe(false);
    for (const id of [unpublished, fresh]) expect(await exists('outbox_events', id)).toBe(true);
  });

  it('keeps the events an email job of several appointment events will still read', async () => {
    const queued = await addEvent(hoursAgo(9));
    const later = await addEvent(hoursAgo(8));
    const older = await addEvent(hoursAgo(12));
    const bookings = env.container.queues.queue('bookings');
    const jobId = jobIds.notify(queued, later);
    await env.container.queues.add('appointment.notify', { eventIds: [queued, later] }, { jobId });

    expect((await pruneRetainedData(env.container)).outboxEvents).toBe(1);
    expect(await exists('outbox_events', older)).toBe(false);
    for (const id of [queued, later]) expect(await exists('outbox_events', id)).toBe(true);

    await bookings.remove(jobId);
    expect((await pruneRetainedData(env.container)).outboxEvents).toBe(2);
  });
});
