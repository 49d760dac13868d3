import { createCalendar } from '../../../src/booking/calendar-service';
import { encodeTimelineCursor } from '../../../src/console/contacts/contact-timeline-cursor';
import { addContact, addWorkflow } from '../../helpers/engine';
import { recordStatements, statementsTouching } from '../../helpers/query-plans';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { ALL_DAY } from '../booking/booking-helpers';
import { decodeHref, signedInAgent } from './console-client';

interface Entry {
  key: string;
  at: string;
  kind: string;
  event: string;
  version: string;
  html: string;
}
interface TimelineAnswer {
  entries: Entry[];
  from: string | null;
  truncated: boolean;
  nextCursor?: string | null;
}
type Agent = Awaited<ReturnType<typeof signedInAgent>>['agent'];

const events = (entries: Entry[]): string[] => entries.map((entry) => `${entry.kind} ${entry.event}`);

/** Every entry, page after page by `nextCursor`, and how many pages it took. */
async function allPages(agent: Agent, contactId: string): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = cursor ? `?before=${encodeURIComponent(cursor)}` : '';
    const answer: TimelineAnswer = (await agent.get(`/app/contacts/${contactId}/timeline${query}`).expect(200)).body;
    entries.push(...answer.entries);
    cursor = answer.nextCursor ?? null;
    pages++;
  } while (cursor);
  return { entries, pages };
}

/** Rows a plan read from `table` (returned or filtered away), over all its loops, by EXPLAIN ANALYZE. */
interface AnalyzedNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: AnalyzedNode[];
}
function rowsRead(node: AnalyzedNode, table: string): number {
  const own =
    node['Relation Name'] === table
      ? ((node['Actual Rows'] ?? 0) +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
        (node['Actual Loops'] ?? 1)
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, table), 0);
}

describe("a contact's timeline", () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;
  let workflowId: string;
  let calendarId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    workflowId = (
      await addWorkflow(env.container, accountId, {
        id: 'book-a-call',
        name: 'Book a call',
        trigger: { type: 'manual' },
        steps: [
          { id: 'invite', name: 'Invitation', type: 'send_email', subject: 'Book', html: '<p>Book</p>' },
          { id: 'pause', type: 'wait', duration: '1d', event: 'appointment.booked' },
          { id: 'tag', type: 'add_tag', tag: 'done' },
        ],
      })
    ).id;
    calendarId = (
      await env.container.db.transaction((tx) =>
        createCalendar(tx, accountId, { name: 'Discovery call', timezone: 'UTC', availability: ALL_DAY }),
      )
    ).id;
  });
  afterAll(async () => {
    await env.cleanup();
  });

  /** `count` completed runs of the contact, a second apart from `from`, each with the workflow's three steps. */
  const seedRuns = async (contactId: string, count: number, from: Date): Promise<void> => {
    await env.container.db.query(
      `WITH made AS (
         INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, trigger, started_at, finished_at)
         SELECT $1, $2, 1, $3, 'completed', '{"type":"manual","data":{}}', $4::timestamptz + n * interval '1 second',
                $4::timestamptz + n * interval '1 second' + interval '900 milliseconds'
         FROM generate_series(1, $5) AS n RETURNING id, started_at)
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, started_at, finished_at)
       SELECT id, s.step_id, s.type, s.seq, 'completed', 1, started_at + s.seq * interval '100 milliseconds',
              -- The last step ends in the very transaction (the same microsecond) that ends its run.
              CASE WHEN s.seq = 2 THEN started_at + interval '900 milliseconds' ELSE started_at + s.seq * interval '100 milliseconds' + interval '50 milliseconds' END
       FROM made, (VALUES ('invite', 'send_email', 0), ('pause', 'wait', 1), ('tag', 'add_tag', 2)) AS s(step_id, type, seq)`,
      [accountId, workflowId, contactId, from.toISOString(), count],
    );
  };

  it('shows runs, steps, messages, links and appointments in one list, newest first, with reasons', async () => {
    const contact = await addContact(env.container, accountId, { email: 'five@example.com' });
    const t = (seconds: number): string => new Date(Date.UTC(2030, 0, 1, 10, 0, 0) + seconds * 1000).toISOString();
    const db = env.container.db;
    const [run] = (await db.query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, trigger, started_at, finished_at)
       VALUES ($1, $2, 1, $3, 'completed', '{"type":"contact.tag_added","data":{}}', $4, $5) RETURNING id`,
      [accountId, workflowId, contact.id, t(0), t(60)],
    )) as { id: string }[];
    await db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, started_at, finished_at, output) VALUES
         ($1, 'invite', 'send_email', 0, 'completed', 1, $2, $3, NULL),
         ($1, 'pause', 'wait', 1, 'completed', 1, $4, $5,
          '{"wait":{"event":"appointment.booked","until":"2030-01-02T10:00:03.000Z"},"resumedBy":"event","event":{"type":"appointment.booked"}}'),
         ($1, 'tag', 'add_tag', 2, 'completed', 1, $6, $6, NULL)`,
      [run!.id, t(1), t(2), t(3), t(40), t(60)],
    );
    await db.query(
      `INSERT INTO messages (account_id, contact_id, run_id, step_id, channel, "to", subject, html, status, error, created_at) VALUES
         ($1, $2, $3, 'invite', 'email', 'five@example.com', 'Book your call', '<p>Book</p>', 'not_delivered', NULL, $4),
         ($1, $2, $3, 'text', 'sms', NULL, NULL, NULL, 'skipped', 'no_phone', $5)`,
      [accountId, contact.id, run!.id, t(1.5), t(55)],
    );
    await db.query(
      `INSERT INTO one_time_links (id, account_id, calendar_id, contact_id, token_hash, token_salt, status, uses, max_uses,
         expires_at, redeemed_at, run_id, step_id, created_at, first_viewed_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'hash-five', 'salt', 'used', 1, 1, $4, $5, $6, 'link', $7, $8)`,
      [accountId, calendarId, contact.id, t(7 * 86400), t(20), run!.id, t(2.5), t(10)],
    );
    await db.query(
      `INSERT INTO appointments (account_id, calendar_id, contact_id, start_at, end_at, status, token_salt,
         reschedule_token_hash, cancel_token_hash, created_at, updated_at, cancelled_at) VALUES
         ($1, $2, $3, '2030-01-05T09:00Z', '2030-01-05T09:30Z', 'booked', 's', 'r1', 'c1', $4, $5, NULL),
         ($1, $2, $3, '2030-01-06T09:00Z', '2030-01-06T09:30Z', 'cancelled', 's', 'r2', 'c2', $6, $7, $7)`,
      [accountId, calendarId, contact.id, t(20), t(30), t(45), t(50)],
    );

    const { agent } = await signedInAgent(env.container, apiKey);
    const answer: TimelineAnswer = (await agent.get(`/app/contacts/${contact.id}/timeline`).expect(200)).body;
    expect(events(answer.entries)).toEqual([
      'run completed',
      'step completed', // tag: ends the run in the same microsecond, shown below its end
      'message skipped',
      'appointment cancelled',
      'appointment booked',
      'step completed', // the wait, ended by the booking
      'appointment rescheduled',
      'appointment booked', // the booking and its link use share a microsecond
      'link used',
      'link opened',
      'step waiting',
      'link minted',
      'step completed',
      'message not_delivered',
      'run started',
    ]);
    expect(answer.nextCursor).toBeNull();
    const html = answer.entries.map((entry) => entry.html).join('\n');
    expect(html).toContain('Not sent: the contact has no phone number.');
    expect(html).toContain('Not sent: no SMTP server is configured (set SMTP_URL); the email was only recorded.');
    expect(html).toContain('Went on by “Booked”');
    expect(html).toContain(`<a href="/app/runs/${run!.id}">Invitation</a>`);
    expect(html).toContain(`<iframe class="email-preview" sandbox src="/app/messages/`);

    const page = await agent.get(`/app/contacts/${contact.id}`).expect(200);
    expect(page.text).toContain('aria-live="polite"');
    expect(page.text).toContain(`data-poll="/app/contacts/${contact.id}/timeline"`);
    expect(page.text).toContain('<script src="/app/assets/contact-timeline.js" defer></script>');
    expect(page.text.indexOf('Run completed')).toBeLessThan(page.text.indexOf('Run started'));
  });

  it('pages through 600 entries 100 at a time, each once, in order, ties included', async () => {
    const contact = await addContact(env.container, accountId, { email: 'pages@example.com' });
    await seedRuns(contact.id, 120, new Date(Date.UTC(2029, 0, 1)));
    const { agent } = await signedInAgent(env.container, apiKey);

    const { entries, pages } = await allPages(agent, contact.id);
    expect(pages).toBe(6);
    expect(entries).toHaveLength(600);
    expect(new Set(entries.map((entry) => entry.key)).size).toBe(600);
    for (let i = 1; i < entries.length; i++) {
      const [newer, older] = [entries[i - 1]!, entries[i]!];
      expect(newer.at > older.at || (newer.at === older.at && newer.key > older.key)).toBe(true);
    }

    // The page itself pages the same way, without JavaScript; an older page does not poll.
    const first = await agent.get(`/app/contacts/${contact.id}`).expect(200);
    const older = /<a href="([^"]+)" rel="next">Older<\/a>/.exec(first.text)?.[1];
    expect(older).toBeDefined();
    const second = await agent.get(decodeHref(older!)).expect(200);
    expect(second.text).not.toContain('data-poll=');
    expect(second.text).toContain(`<a href="/app/contacts/${contact.id}">Newest</a>`);
    expect(second.text).toContain(entries[100]!.html.slice(0, 80));
  });

  it('answers a poll with what happened since the newest entry the page shows', async () => {
    const contact = await addContact(env.container, accountId, { email: 'poll@example.com' });
    await seedRuns(contact.id, 3, new Date(Date.now() - 3_600_000));
    const { agent } = await signedInAgent(env.container, apiKey);
    const first: TimelineAnswer = (await agent.get(`/app/contacts/${contact.id}/timeline`).expect(200)).body;
    const newest = first.entries[0]!;
    const after = encodeTimelineCursor(newest);

    const quiet: TimelineAnswer = (
      await agent.get(`/app/contacts/${contact.id}/timeline?after=${encodeURIComponent(after)}`).expect(200)
    ).body;
    expect(quiet.from! <= newest.at).toBe(true);
    expect(quiet.entries.every((entry) => entry.at >= quiet.from!)).toBe(true);
    expect(quiet.truncated).toBe(false);

    await seedRuns(contact.id, 1, new Date());
    const moved: TimelineAnswer = (
      await agent.get(`/app/contacts/${contact.id}/timeline?after=${encodeURIComponent(after)}`).expect(200)
    ).body;
    expect(events(moved.entries).slice(0, 5)).toEqual([
      'run completed',
      'step completed',
      'step completed',
      'step completed',
      'run started',
    ]);
  });

  it("reads only a page's worth of a contact with thousands of steps", async () => {
    const contact = await addContact(env.container, accountId, { email: 'busy@example.com' });
    await seedRuns(contact.id, 1500, new Date(Date.UTC(2028, 0, 1))); // 4,500 steps
    // Other contacts' history makes the tables big enough for PostgreSQL to plan as it would in production.
    const other = await addContact(env.container, accountId, { email: 'other@example.com' });
    await seedRuns(other.id, 15_000, new Date(Date.UTC(2027, 0, 1)));
    await env.container.db.query('ANALYZE runs; ANALYZE run_steps');
    const { agent } = await signedInAgent(env.container, apiKey);

    const recorder = recordStatements(env.container.db);
    try {
      const answer: TimelineAnswer = (await agent.get(`/app/contacts/${contact.id}/timeline`).expect(200)).body;
      expect(answer.entries).toHaveLength(100);
    } finally {
      recorder.stop();
    }
    const read = { runs: 0, run_steps: 0 };
    for (const statement of statementsTouching(recorder.statements, ['runs', 'run_steps'])) {
      const [row] = (await env.container.db.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`,
        statement.params,
      )) as { 'QUERY PLAN': { Plan: AnalyzedNode }[] }[];
      read.runs += rowsRead(row!['QUERY PLAN'][0]!.Plan, 'runs');
      read.run_steps += rowsRead(row!['QUERY PLAN'][0]!.Plan, 'run_steps');
    }
    // A page is 100 entries: about 20 runs of five entries each, read with a margin, never 1,500.
    expect(read.runs).toBeLessThan(400);
    expect(read.run_steps).toBeLessThan(600);
  });

  it("answers 404 for another account's contact and 400 for a cursor it did not hand out", async () => {
    const contact = await addContact(env.container, accountId, { email: 'mine@example.com' });
    const stranger = await createTestAccount(env.container);
    const { agent: theirs } = await signedInAgent(env.container, stranger.apiKey);
    await theirs.get(`/app/contacts/${contact.id}/timeline`).expect(404);
    await theirs.get(`/app/contacts/${contact.id}`).expect(404);

    const { agent } = await signedInAgent(env.container, apiKey);
    await agent.get('/app/contacts/not-a-uuid/timeline').expect(404);
    const forged = Buffer.from(JSON.stringify(['2030-01-01T00:00:00.000000Z', "1run:x' OR 1=1"])).toString('base64url');
    for (const query of ['before=garbage', 'after=garbage', `after=${forged}`, 'before=A&after=B']) {
      const answer = await agent.get(`/app/contacts/${contact.id}/timeline?${query}`);
      expect(answer.status).toBe(400);
    }
    await agent.get(`/app/contacts/${contact.id}?before=garbage`).expect(400);
  });
});
