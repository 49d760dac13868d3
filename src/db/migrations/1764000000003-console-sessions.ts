import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-ins of the web console: an API key exchanged for a session cookie. */
export class ConsoleSessions1764000000003 implements MigrationInterface {
  name = 'ConsoleSessions1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Like api_keys, only sha256(cookie token) is stored: a copy of the database signs no one in.
      CREATE TABLE console_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        scope text NOT NULL CHECK (scope IN ('admin', 'account')),
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE console_sessions');
  }
}
