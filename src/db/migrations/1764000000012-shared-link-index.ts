import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Share dialog's One Time Link tab opens on the calendar's unused shared link (minted by hand: no
 * contact, no run). Without this index the lookup walks every newer link of the account; with it, it
 * reads the calendar's few unused shared links, newest first.
 */
export class SharedLinkIndex1764000000012 implements MigrationInterface {
  name = 'SharedLinkIndex1764000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX one_time_links_unused_shared ON one_time_links (calendar_id, created_at DESC, id DESC)
        WHERE contact_id IS NULL AND run_id IS NULL AND status = 'active' AND uses = 0;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX one_time_links_unused_shared;');
  }
}
