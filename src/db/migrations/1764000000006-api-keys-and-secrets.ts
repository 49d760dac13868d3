import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Named, revocable API keys; console sessions tied to the key they signed in with; the stored link secret. */
export class ApiKeysAndSecrets1764000000006 implements MigrationInterface {
  name = 'ApiKeysAndSecrets1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_keys
        ADD COLUMN name text NOT NULL DEFAULT 'API key',
        -- The key's first characters ('lf_' and 8 more), to tell keys apart; NULL for keys made before
        -- this column and for a configured API_KEY (its owner chose it: no part of it is shown).
        ADD COLUMN prefix text,
        -- A revoked key stays (its hash still names it) but authenticates nothing.
        ADD COLUMN revoked_at timestamptz,
        -- Written at most once a minute per key, never on every request.
        ADD COLUMN last_used_at timestamptz;
      CREATE INDEX api_keys_account_created ON api_keys (account_id, created_at, id);

      -- A session lives only as long as the key it signed in with. Sessions from before this column
      -- cannot say which key that was: they end here (a sign-in of 12 hours, made once more).
      DELETE FROM console_sessions;
      ALTER TABLE console_sessions ADD COLUMN api_key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE;
      CREATE INDEX console_sessions_api_key ON console_sessions (api_key_id);

      -- The link secret of an installation without LINK_SECRET: one row, written once.
      CREATE TABLE link_secret (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        -- 'generated': a random secret of this installation. 'legacy-development': the installation
        -- had already sent links made with the public development constant, which it keeps using.
        source text NOT NULL CHECK (source IN ('generated', 'legacy-development')),
        secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((source = 'generated') = (secret IS NOT NULL))
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE link_secret;
      ALTER TABLE console_sessions DROP COLUMN api_key_id;
      DROP INDEX api_keys_account_created;
      ALTER TABLE api_keys DROP COLUMN name, DROP COLUMN prefix, DROP COLUMN revoked_at, DROP COLUMN last_used_at;
    `);
  }
}
