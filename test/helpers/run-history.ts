import { WEEKDAYS } from '../../src/booking/calendar-schema';
import { createCalendar } from '../../src/booking/calendar-service';
import type { Container } from '../../src/container';

export interface RunHistoryOptions {
  accountId: string;
  /** The workflow (at `version`) the finished runs belong to. */
  workflowId: string;
  version: number;
  /** Calendar of the one-time links and appointments. */
  calendarId: string;
  /** Finished runs to add; each contact gets four. */
  runs: number;
  /** Distinguishes one call's rows from another's (emails, enrol keys, token hashes, appointment times): 0, 1, 2… */
  batch: number;
  /** How long ago the runs started (they finished a day later). Default 30. */
  ageDays?: number;
}

/**
 * Adds months of history in a few statements (generate_series): finished runs with three steps each
 * (the wait one resumed by an event, as real ones are), their published outbox events, a message for
 * every second run, a used one-time link for every fourth and an appointment for every twelfth.
 * Callers ANALYZE afterwards, so the planner sees the tables as a long-lived installation's.
 */
export async function fillRunHistory(c: Container, options: RunHistoryOptions): Promise<void> {
  const contacts = Math.ceil(options.runs / 4);
  await c.db.query(
    `WITH c AS (
       INSERT INTO contacts (account_id, email, tags)
       SELECT $1, 'history-' || $2::text || '-' || g || '@example.com', '{history}' FROM generate_series(1, $3::int) g
       RETURNING id
     ), r AS (
       INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, trigger, enrol_key, started_at, finished_at, updated_at)
       SELECT $1, $4, $5, c.id, 'completed', '{"type":"contact.tag_added","data":{"tag":"history"}}', 'history:' || $2::text || ':' || c.id || ':' || k,
              now() - $7::int * interval '1 day', now() - ($7::int - 1) * interval '1 day', now() - ($7::int - 1) * interval '1 day'
       FROM c CROSS JOIN generate_series(1, 4) k
       RETURNING id, contact_id
     ), numbered AS (
       SELECT id, contact_id, row_number() OVER () AS n FROM r
     ), s AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, output, resumed_by_event, next_step_id, started_at, finished_at)
       SELECT numbered.id, step.id, step.type, step.seq, 'completed', 1,
              CASE step.id WHEN 'wait' THEN jsonb_build_object('wait', jsonb_build_object('event', 'paid'), 'resumedBy', 'event',
                'resumedByEvent', (1000000 + numbered.n)::text, 'event', jsonb_build_object('type', 'paid', 'data', '{}'::jsonb))
              ELSE '{}'::jsonb END,
              CASE step.id WHEN 'wait' THEN 1000000 + numbered.n END,
              step.next, now() - $7::int * interval '1 day', now() - ($7::int - 1) * interval '1 day'
       FROM numbered CROSS JOIN (VALUES ('tag', 'add_tag', 0, 'wait'), ('wait', 'wait', 1, 'done'), ('done', 'end', 2, NULL)) AS step(id, type, seq, next)
     ), o AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data, created_at, published_at)
       SELECT $1, 'contact.tag_added', contact_id, '{"tag":"history"}', now() - $7::int * interval '1 day', now() - $7::int * interval '1 day' FROM numbered
     ), m AS (
       INSERT INTO messages (account_id, contact_id, run_id, step_id, channel, "to", subject, text, status, created_at)
       SELECT $1, contact_id, id, 'tag', 'email', 'history@example.com', 'Hello', 'Hello again', 'sent', now() - ($7::int - 1) * interval '1 day'
       FROM numbered WHERE n % 2 = 0
     ), l AS (
       INSERT INTO one_time_links (id, account_id, calendar_id, contact_id, token_hash, token_salt, status, uses, max_uses, expires_at, redeemed_at, run_id, step_id, created_at)
       SELECT gen_random_uuid(), $1, $6, contact_id, md5($2::text || ':link:' || n), md5($2::text || ':salt:' || n), 'used', 1, 1,
              now() - ($7::int - 10) * interval '1 day', now() - ($7::int - 2) * interval '1 day', id, 'tag', now() - ($7::int - 1) * interval '1 day'
       FROM numbered WHERE n % 4 = 0
       RETURNING id, contact_id, run_id
     )
     INSERT INTO appointments (account_id, calendar_id, contact_id, link_id, start_at, end_at, status, token_salt, reschedule_token_hash, cancel_token_hash, created_at)
     SELECT $1, $6, l.contact_id, l.id, t.start_at, t.start_at + interval '5 minutes', 'booked', md5(l.id::text),
            md5(l.id::text || ':reschedule'), md5(l.id::text || ':cancel'), now() - ($7::int - 2) * interval '1 day'
     FROM (SELECT l.*, row_number() OVER () AS k FROM l) l
     CROSS JOIN LATERAL (SELECT timestamptz '2001-01-01' + ($2::int * 1000000 + l.k) * interval '10 minutes' AS start_at) t
     WHERE l.k % 3 = 0`,
    [
      options.accountId,
      options.batch,
      contacts,
      options.workflowId,
      options.version,
      options.calendarId,
      options.ageDays ?? 30,
    ],
  );
}

/** A campaign in progress: `runs` new contacts, each with a run `running` at its first step (no job behind it). */
export async function addLiveCampaign(c: Container, options: Omit<RunHistoryOptions, 'calendarId'>): Promise<void> {
  await c.db.query(
    `WITH c AS (
       INSERT INTO contacts (account_id, email, tags)
       SELECT $1, 'campaign-' || $2::text || '-' || g || '@example.com', '{campaign}' FROM generate_series(1, $3::int) g
       RETURNING id
     )
     INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key)
     SELECT $1, $4, $5, c.id, 'running', 'tag', '{"type":"manual","data":{}}', 'campaign:' || $2::text || ':' || c.id FROM c`,
    [options.accountId, options.batch, options.runs, options.workflowId, options.version],
  );
}

/** Years of finished runs for one contact (a seed address on every list, say): `runs` runs with one step each. */
export async function addPastRunsOf(
  c: Container,
  options: { accountId: string; workflowId: string; version: number; contactId: string; runs: number },
): Promise<void> {
  await c.db.query(
    `WITH r AS (
       INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, trigger, enrol_key, started_at, finished_at)
       SELECT $1, $2, $3, $4::uuid, 'completed', '{"type":"manual","data":{}}', 'past:' || $4::text || ':' || g, now() - interval '400 days', now() - interval '400 days'
       FROM generate_series(1, $5::int) g
       RETURNING id
     )
     INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, output, started_at, finished_at)
     SELECT id, 'tag', 'add_tag', 0, 'completed', 1, '{}', now() - interval '400 days', now() - interval '400 days' FROM r`,
    [options.accountId, options.workflowId, options.version, options.contactId, options.runs],
  );
}

/** A calendar for the history's links and appointments: 5-minute slots, weekdays 09:00–17:00 UTC, 30 days ahead. */
export async function addHistoryCalendar(c: Container, accountId: string, name: string) {
  return c.db.transaction((tx) =>
    createCalendar(tx, accountId, {
      name,
      timezone: 'UTC',
      durationMinutes: 5,
      bookingWindowDays: 30,
      availability: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
    }),
  );
}
