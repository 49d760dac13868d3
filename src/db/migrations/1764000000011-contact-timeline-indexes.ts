import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contact page's timeline (src/console/contacts/contact-timeline.ts) reads a page of a contact's
 * history without reading the rest of it: where its entries start (the (N+1)-th newest run or link of
 * the contact) and which runs and links still had something happen inside the page's time window.
 * Messages (messages_contact_created) and appointments (few per contact, appointments_contact) need
 * nothing new.
 */
export class ContactTimelineIndexes1764000000011 implements MigrationInterface {
  name = 'ContactTimelineIndexes1764000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The contact's runs newest first: the page's lower bound, without sorting every run of theirs.
      CREATE INDEX runs_contact_started ON runs (contact_id, started_at DESC, id DESC);
      -- Runs live or ended since a time: only those can have a step or an end inside the window.
      CREATE INDEX runs_contact_finished ON runs (contact_id, finished_at);

      -- The contact's links newest first (the lower bound again; one_time_links_contact holds active ones only).
      CREATE INDEX one_time_links_contact_created ON one_time_links (contact_id, created_at DESC, id DESC);
      -- A link's last possible event: its expiry, or a first view after it (a visit to a dead link).
      CREATE INDEX one_time_links_contact_last_event ON one_time_links (contact_id, greatest(expires_at, first_viewed_at));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX one_time_links_contact_last_event, one_time_links_contact_created;
      DROP INDEX runs_contact_finished, runs_contact_started;
    `);
  }
}
