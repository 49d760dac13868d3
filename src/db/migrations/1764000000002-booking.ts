import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Calendars, one-time booking links and appointments. */
export class Booking1764000000002 implements MigrationInterface {
  name = 'Booking1764000000002';

  async up(q: QueryRunner): Promise<void> {
    // btree_gist lets one exclusion constraint compare a uuid (=) and a time range (&&); it is a
    // trusted extension (PostgreSQL 13+), so the database owner may create it.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE calendars (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        -- Globally unique, not only per account: /c/:slug is one URL space for every account.
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        timezone text NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        availability jsonb NOT NULL,
        booking_window_days integer NOT NULL CHECK (booking_window_days > 0),
        min_notice_minutes integer NOT NULL CHECK (min_notice_minutes >= 0),
        owner_name text,
        owner_email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX calendars_account_created ON calendars (account_id, created_at, id);

      -- The token itself is never stored: token_hash = sha256(token), and the token is
      -- HMAC(LINK_SECRET, id + token_salt), so a retried mint can recompute it but a copy of the
      -- database alone cannot.
      CREATE TABLE one_time_links (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        calendar_id uuid NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
        contact_id uuid REFERENCES contacts(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        token_salt text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'used', 'expired', 'revoked')),
        uses integer NOT NULL DEFAULT 0,
        max_uses integer NOT NULL CHECK (max_uses >= 1),
        expires_at timestamptz NOT NULL,
        redeemed_at timestamptz,
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        step_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (uses <= max_uses),
        -- A retried or redelivered mint step finds the link it minted before.
        UNIQUE (run_id, step_id)
      );
      CREATE INDEX one_time_links_account_created ON one_time_links (account_id, created_at DESC, id DESC);
      CREATE INDEX one_time_links_contact ON one_time_links (contact_id, calendar_id) WHERE status = 'active';
      CREATE INDEX one_time_links_expiring ON one_time_links (expires_at) WHERE status = 'active';

      CREATE TABLE appointments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        calendar_id uuid NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        link_id uuid REFERENCES one_time_links(id) ON DELETE SET NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('booked', 'cancelled')),
        -- Reschedule and cancel tokens are derived like link tokens (own purpose strings).
        token_salt text NOT NULL,
        reschedule_token_hash text NOT NULL UNIQUE,
        cancel_token_hash text NOT NULL UNIQUE,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_at > start_at),
        -- No two booked appointments of a calendar ever overlap, whatever races the API loses.
        CONSTRAINT appointments_no_overlap EXCLUDE USING gist (calendar_id WITH =, tstzrange(start_at, end_at) WITH &&)
          WHERE (status = 'booked')
      );
      CREATE INDEX appointments_account_start ON appointments (account_id, start_at, id);
      CREATE INDEX appointments_contact ON appointments (contact_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE appointments, one_time_links, calendars CASCADE`);
  }
}
