import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the retention job (src/roles/retention.ts) reads and writes. Each of its deletes picks its
 * batch, oldest first, from an index that holds only the rows it may delete: published outbox
 * events by publication time, finished runs by finish time, spent links by expiry. Deleting a link
 * sets `appointments.link_id` to NULL, which looks the link up in appointments: that foreign key
 * gets its index too (deleting a run already finds its steps, messages and links by their keys).
 *
 * `pruned_totals` keeps what the deleted rows counted for /metrics (runs by workflow and status,
 * messages by channel and status, links by status), added in the statement that deletes them, so
 * the counts /metrics shows never go down because rows were pruned.
 *
 * The indexes are built CONCURRENTLY, outside a transaction: an installation upgrading with years of
 * rows in these tables keeps writing to them while they build. A build that failed half-way leaves
 * an invalid index, which the next start drops and builds again.
 */
export class RetentionIndexes1764000000014 implements MigrationInterface {
  name = 'RetentionIndexes1764000000014';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS pruned_totals (
        -- 'runs' (label_a: workflow id, label_b: status), 'messages' (channel, status),
        -- 'links' (status, 'redeemed' when it was used at least once, else '').
        metric text NOT NULL,
        label_a text NOT NULL,
        label_b text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (metric, label_a, label_b)
      )
    `);
    for (const [name, definition] of INDEXES) {
      const rows: { valid: boolean }[] = await q.query(
        `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
        [name],
      );
      if (rows[0]?.valid === true) continue;
      if (rows[0]) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ON ${definition}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await q.query('DROP TABLE IF EXISTS pruned_totals');
  }
}

const INDEXES: [name: string, definition: string][] = [
  ['outbox_events_published', 'outbox_events (published_at) WHERE published_at IS NOT NULL'],
  ['runs_finished', `runs (finished_at) WHERE status IN ('completed', 'failed', 'cancelled')`],
  ['one_time_links_spent', `one_time_links (expires_at) WHERE status <> 'active'`],
  ['appointments_link', 'appointments (link_id) WHERE link_id IS NOT NULL'],
];
