import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every email and SMS a step sent (or skipped), and a contact's email unsubscribe. */
export class Messages1764000000001 implements MigrationInterface {
  name = 'Messages1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('email', 'sms')),
        "to" text,
        subject text,
        text text,
        html text,
        body text,
        -- 'sending' is written before the provider call: a redelivered step finds it and resends the
        -- same message (same Message-ID); any other status is final and the provider is not called again.
        status text NOT NULL CHECK (status IN ('sending', 'sent', 'not_delivered', 'failed', 'skipped')),
        error text,
        provider_message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (run_id, step_id)
      );
      CREATE INDEX messages_contact_created ON messages (contact_id, created_at DESC, id DESC);

      ALTER TABLE contacts ADD COLUMN email_unsubscribed_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE contacts DROP COLUMN email_unsubscribed_at;
      DROP TABLE messages;
    `);
  }
}
