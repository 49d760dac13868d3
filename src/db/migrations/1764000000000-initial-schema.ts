import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, contacts, workflows and their versions, runs and steps, and the event outbox. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        timezone text NOT NULL DEFAULT 'UTC',
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX accounts_single_default ON accounts (is_default) WHERE is_default;

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        key_hash text NOT NULL UNIQUE,
        scope text NOT NULL CHECK (scope IN ('admin', 'account')),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        email text,
        phone text,
        first_name text,
        last_name text,
        timezone text,
        tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        dnd boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX contacts_account_email ON contacts (account_id, lower(email)) WHERE email IS NOT NULL;
      CREATE INDEX contacts_account_created ON contacts (account_id, created_at, id);
      CREATE INDEX contacts_tags ON contacts USING gin (tags);

      CREATE TABLE workflows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        slug text NOT NULL,
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'draft')),
        version integer NOT NULL,
        trigger_type text NOT NULL,
        source text NOT NULL CHECK (source IN ('file', 'api')),
        file_checksum text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, slug)
      );
      CREATE INDEX workflows_trigger ON workflows (account_id, trigger_type) WHERE status = 'active';

      CREATE TABLE workflow_versions (
        workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_id, version)
      );

      -- One row per (workflow, contact) ever enrolled: the allowReentry=false rule is a primary key, not a read.
      CREATE TABLE workflow_enrolments (
        workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_id, contact_id)
      );

      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        workflow_version integer NOT NULL,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'cancelled')),
        current_step_id text,
        trigger jsonb NOT NULL DEFAULT '{}',
        -- Why this run exists (event id + workflow, or a manual request): redelivered events enrol once.
        enrol_key text UNIQUE,
        wait_event text,
        wait_until timestamptz,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (workflow_id, workflow_version) REFERENCES workflow_versions (workflow_id, version)
      );
      CREATE INDEX runs_account_started ON runs (account_id, started_at DESC, id);
      CREATE INDEX runs_workflow_status ON runs (workflow_id, status);
      CREATE INDEX runs_contact ON runs (contact_id);
      CREATE INDEX runs_waiting_for_event ON runs (contact_id, wait_event) WHERE status = 'waiting';

      CREATE TABLE run_steps (
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step_id text NOT NULL,
        type text NOT NULL,
        seq integer NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        output jsonb,
        error text,
        next_step_id text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        PRIMARY KEY (run_id, step_id)
      );

      -- The outbox: a change and its event commit together; the relay moves events to BullMQ.
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        type text NOT NULL,
        contact_id uuid,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX outbox_unpublished ON outbox_events (id) WHERE published_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outbox_events, run_steps, runs, workflow_enrolments, workflow_versions, workflows,
        contacts, api_keys, accounts CASCADE;
    `);
  }
}
