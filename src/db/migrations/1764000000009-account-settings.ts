import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an account tells its contacts and its console: the sender's display name and reply-to address
 * of its emails (the From address stays the operator's MAIL_FROM, so SPF and DKIM keep passing), the
 * zone console times are shown in, and when an admin first confirmed these settings.
 */
export class AccountSettings1764000000009 implements MigrationInterface {
  name = 'AccountSettings1764000000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- NULL: emails are signed with the account's name.
      ALTER TABLE accounts ADD COLUMN sender_name text;
      -- NULL: no Reply-To header, replies go to MAIL_FROM.
      ALTER TABLE accounts ADD COLUMN reply_to text;
      -- 'account': console times in accounts.timezone; 'viewer': in the browser's own zone.
      ALTER TABLE accounts ADD COLUMN console_zone text NOT NULL DEFAULT 'account'
        CHECK (console_zone IN ('account', 'viewer'));
      -- NULL until settings are saved: the first admin sign-in is asked for them.
      ALTER TABLE accounts ADD COLUMN settings_confirmed_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accounts DROP COLUMN settings_confirmed_at;
      ALTER TABLE accounts DROP COLUMN console_zone;
      ALTER TABLE accounts DROP COLUMN reply_to;
      ALTER TABLE accounts DROP COLUMN sender_name;
    `);
  }
}
