import { Client } from 'pg';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { sweepRuns } from '../../../src/engine/run-sweeper';
import { loadWorkflowVersion } from '../../../src/workflows/workflow-repository';
import { expireLinks } from '../../../src/links/link-expiry';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { addWorkflow } from '../../helpers/engine';
import { addLiveCampaign, addPastRunsOf, fillRunHistory } from '../../helpers/run-history';
import { preparedStatementTexts } from '../../../src/db/sql';
import {
  executedPlanOf,
  genericPlanOf,
  planOf,
  scansOf,
  recordStatements,
  seqScannedTables,
  statementsTouching,
  type RecordedStatement,
} from '../../helpers/query-plans';
import { bookingApi, bookPath, insertLinks, listen } from '../booking/booking-helpers';

/** The tables that grow without bound: none of them may be read whole on a hot path. */
const GROWING = ['runs', 'run_steps', 'outbox_events', 'messages', 'one_time_links'] as const;
const HISTORY_RUNS = 200_000;

/**
 * Plans of every statement the event, step, booking and outbox paths run, against tables holding a
 * long-lived installation's history. The statements are the real ones: recorded while one contact
 * goes through a workflow (events, steps, a mint, an email, a booking, two resumes, a cancellation),
 * then planned with EXPLAIN against the full tables, with the parameters they ran with.
 */
describe('the plans of hot-path statements on a database with 200,000 finished runs', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let workers: RunningWorkers | undefined;
  let poll: Client;
  let recorded: RecordedStatement[] = [];

  const one = async <T>(sql: string, params: unknown[]): Promise<T | undefined> =>
    (await poll.query(sql, params)).rows[0] as T | undefined;

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://book.example.test' });
    const c = env.container;
    const { accountId, apiKey } = await createTestAccount(c);
    const auth = { Authorization: `Bearer ${apiKey}` };
    http = await listen(c);
    poll = new Client({ connectionString: env.config.DATABASE_URL });
    await poll.connect();
    const calendar = await bookingApi(http.server, apiKey).createCalendar({ slug: 'plans', name: 'Plans' });
    const history = await addWorkflow(c, accountId, {
      id: 'history',
      name: 'History',
      trigger: { type: 'manual' },
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'old' },
        { id: 'wait', type: 'wait', duration: '1h', event: 'paid' },
        { id: 'done', type: 'end' },
      ],
    });
    const probe = await addWorkflow(c, accountId, {
      id: 'probe',
      name: 'Probe',
      trigger: { type: 'event', event: 'invite' },
      steps: [
        { id: 'mint', type: 'generate_one_time_link', calendar: 'plans', saveTo: 'bookingUrl' },
        { id: 'mail', type: 'send_email', subject: 'Book a call', text: 'Pick a time' },
        { id: 'booking', type: 'wait', duration: '1h', event: 'appointment.booked', calendar: 'plans' },
        { id: 'payment', type: 'wait', duration: '1h', event: 'paid' },
        { id: 'tag', type: 'add_tag', tag: 'paid' },
        { id: 'done', type: 'end' },
      ],
    });
    await addWorkflow(c, accountId, {
      id: 'tagged',
      name: 'Tagged',
      trigger: { type: 'contact.tag_added', tag: 'probe' },
      steps: [{ id: 'end', type: 'end' }],
    });
    await addWorkflow(c, accountId, {
      id: 'on-cancel',
      name: 'On cancel',
      trigger: { type: 'appointment.cancelled' },
      steps: [{ id: 'end', type: 'end' }],
    });

    const contact = (
      await request(http.server)
        .post('/api/v1/contacts')
        .set(auth)
        .send({ email: 'probe@example.com', tags: ['probe'] })
        .expect(201)
    ).body;
    const past = { accountId, workflowId: history.id, version: 1 };
    await fillRunHistory(c, { ...past, calendarId: calendar.id, runs: HISTORY_RUNS, batch: 0 });
    await addLiveCampaign(c, { ...past, runs: 50_000, batch: 0 });
    // The contact every campaign reaches (a seed address): its run count is what the planner sees.
    await addPastRunsOf(c, { ...past, contactId: contact.id, runs: 5_000 });
    await c.db.query('ANALYZE');

    const recording = recordStatements(c.db);
    workers = startWorkers(c);
    const runOf = (status: string, step: string) =>
      waitFor(
        () =>
          one<{ id: string }>(`SELECT id FROM runs WHERE workflow_id = $1 AND status = $2 AND current_step_id = $3`, [
            probe.id,
            status,
            step,
          ]),
        {
          what: `the probe run ${status} at ${step}`,
          timeoutMs: 60_000,
        },
      );
    await request(http.server)
      .post('/api/v1/events')
      .set(auth)
      .send({ type: 'invite', contactId: contact.id })
      .expect(202);
    await runOf('waiting', 'booking');
    const url = (await one<{ url: string }>(`SELECT custom_fields->>'bookingUrl' AS url FROM contacts WHERE id = $1`, [
      contact.id,
    ]))!.url;
    const page = await request(http.server).get(bookPath(url)).set('Accept', 'application/json').expect(200);
    const booked = await request(http.server)
      .post(bookPath(url))
      .set('Accept', 'application/json')
      .send({ start: page.body.slots[0].start })
      .expect(201);
    await runOf('waiting', 'payment');
    await request(http.server)
      .post('/api/v1/events')
      .set(auth)
      .send({ type: 'paid', contactId: contact.id })
      .expect(202);
    await waitFor(() => one(`SELECT 1 FROM runs WHERE workflow_id = $1 AND status = 'completed'`, [probe.id]), {
      what: 'the probe run to complete',
      timeoutMs: 60_000,
    });
    await request(http.server)
      .post(new URL(booked.body.appointment.cancelUrl).pathname)
      .set('Accept', 'application/json')
      .expect(200);
    await waitFor(
      () =>
        one(
          `SELECT 1 FROM runs r JOIN workflows w ON w.id = r.workflow_id WHERE w.slug = 'on-cancel' AND r.status = 'completed'`,
          [],
        ),
      {
        what: 'the cancellation to be processed',
        timeoutMs: 60_000,
      },
    );
    // The builder's funnel of the probe workflow: its runs, their steps and links, among the history.
    await request(http.server).get(`/api/v1/workflows/${probe.id}/funnel`).set(auth).expect(200);
    await expireLinks(c.db);
    await sweepRuns(c, { loadVersion: loadWorkflowVersion });
    await workers.close();
    workers = undefined;
    recording.stop();
    recorded = statementsTouching(recording.statements, GROWING);
  }, 300_000);

  afterAll(async () => {
    await workers?.close();
    await poll?.end();
    await http?.close();
    await env?.cleanup();
  });

  it('recorded statements on every growing table', () => {
    for (const table of GROWING)
      expect(recorded.some((statement) => new RegExp(`\\b${table}\\b`).test(statement.sql))).toBe(true);
  });

  it('plans no sequential scan of runs, run_steps, outbox_events, messages or one_time_links', async () => {
    const scans = new Map<string, string[]>();
    for (const statement of recorded) {
      const tables = seqScannedTables(await planOf(env.container.db, statement), GROWING);
      if (tables.length > 0) scans.set(statement.sql.replace(/\s+/g, ' ').trim(), tables);
    }
    expect(Object.fromEntries(scans)).toEqual({});
  });

  it('plans no sequential scan either with the generic plan of a prepared statement', async () => {
    const prepared = new Set(preparedStatementTexts());
    const statements = recorded.filter((statement) => prepared.has(statement.sql));
    // The hot statements that are prepared were recorded: the claim, the record, the contact writes, the relay's.
    expect(statements.length).toBeGreaterThanOrEqual(5);
    const scans = new Map<string, string[]>();
    for (const statement of statements) {
      const tables = seqScannedTables(await genericPlanOf(env.container.db, statement), GROWING);
      if (tables.length > 0) scans.set(statement.sql.replace(/\s+/g, ' ').trim(), tables);
    }
    expect(Object.fromEntries(scans)).toEqual({});
  });

  // Last: it leaves the statistics stale on purpose.
  it('reads live rows by their keys, not through the partial indexes of live rows, with statistics taken before a burst', async () => {
    const db = env.container.db;
    // A burst of live rows the statistics have not seen: 5,000 active links (the campaign's 50,000
    // running runs are there already), made invisible to an ANALYZE, then live again.
    const [{ id: contactId }] = await db.query(`SELECT id FROM contacts LIMIT 1`);
    const [{ id: calendarId, account_id: accountId }] = await db.query(`SELECT id, account_id FROM calendars LIMIT 1`);
    await insertLinks(db, { accountId, calendarId, contactId, status: 'active', count: 5000 });
    await db.query(
      `CREATE TABLE stale_live_runs AS SELECT id, status FROM runs WHERE status IN ('running', 'waiting')`,
    );
    await db.query(`CREATE TABLE stale_live_links AS SELECT id FROM one_time_links WHERE status = 'active'`);
    await db.query(`UPDATE runs SET status = 'completed' WHERE id IN (SELECT id FROM stale_live_runs)`);
    await db.query(`UPDATE one_time_links SET status = 'used' WHERE id IN (SELECT id FROM stale_live_links)`);
    await db.query('ANALYZE runs');
    await db.query('ANALYZE one_time_links');
    await db.query(`UPDATE runs r SET status = l.status FROM stale_live_runs l WHERE r.id = l.id`);
    await db.query(`UPDATE one_time_links SET status = 'active' WHERE id IN (SELECT id FROM stale_live_links)`);
    await db.query('DROP TABLE stale_live_runs, stale_live_links');
    const live: { n: string }[] = await db.query(`SELECT count(*) AS n FROM runs WHERE status = 'running'`);
    expect(Number(live[0]!.n)).toBeGreaterThanOrEqual(50_000);

    const indexes: { index: string; table: string }[] = await db.query(
      `SELECT indexname AS index, tablename AS table FROM pg_indexes WHERE schemaname = current_schema()`,
    );
    const tableOf = new Map(indexes.map((row) => [row.index, row.table]));
    const prepared = new Set(preparedStatementTexts());
    // The periodic scans that read live rows on purpose, in order, a batch at a time: the sweeper of
    // stalled runs (it skips the campaign's runs that moved recently) and the expiry of links.
    const periodic = /ORDER BY started_at LIMIT|expires_at <= now\(\)|wait_until < \$1 ORDER BY wait_until/;
    const wide = new Map<string, string[]>();
    let ran = 0;
    for (const statement of recorded) {
      if (periodic.test(statement.sql)) continue;
      const plan = await executedPlanOf(db, statement, { generic: prepared.has(statement.sql) }).catch(() => null);
      if (!plan) continue;
      ran++;
      const scans = scansOf(plan, GROWING, (index) => tableOf.get(index)).filter((scan) => scan.rows > 1_000);
      if (scans.length > 0)
        wide.set(
          statement.sql.replace(/\s+/g, ' ').trim().slice(0, 160),
          scans.map((scan) => `${scan.node} on ${scan.table}: ${scan.rows} rows`),
        );
    }
    expect(ran).toBeGreaterThanOrEqual(20);
    expect(Object.fromEntries(wide)).toEqual({});
  });
});
