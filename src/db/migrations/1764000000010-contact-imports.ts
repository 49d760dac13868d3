import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contact imports from CSV and bulk actions on a contact search: one job table with its counters and
 * cursor, and the staged rows the job works through (a CSV row, or one contact of the search).
 */
export class ContactImports1764000000010 implements MigrationInterface {
  name = 'ContactImports1764000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        -- 'csv': an uploaded file; the others: a bulk action over a contact search.
        kind text NOT NULL CHECK (kind IN ('csv', 'add_tag', 'remove_tag', 'enrol')),
        -- staging: the upload is streaming in; staged: waits for the console's confirmation;
        -- queued: a job is on its way; running; completed; failed (error says why).
        status text NOT NULL CHECK (status IN ('staging', 'staged', 'queued', 'running', 'completed', 'failed')),
        -- The file's header row (csv).
        columns text[] NOT NULL DEFAULT '{}',
        -- csv: tags added to every imported contact; add_tag / remove_tag: the one tag.
        tags text[] NOT NULL DEFAULT '{}',
        -- csv: column → field, as given (the defaults apply to columns it leaves out).
        mapping jsonb NOT NULL DEFAULT '{}',
        workflow_id uuid REFERENCES workflows(id) ON DELETE SET NULL,
        -- Bulk actions: the search the contacts were taken from, for the console to show.
        search jsonb,
        file_name text,
        total integer NOT NULL DEFAULT 0,
        processed integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        -- Bulk actions: contacts left as they were (the tag was there already, not allowed to re-enter).
        skipped integer NOT NULL DEFAULT 0,
        -- The cursor: every staged row up to this row number is done, and counted.
        last_row integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        -- When the failed rows were deleted (kept 30 days after the end for the error report).
        rows_purged_at timestamptz
      );
      CREATE INDEX contact_imports_account_created ON contact_imports (account_id, created_at);

      CREATE TABLE contact_import_rows (
        import_id uuid NOT NULL REFERENCES contact_imports(id) ON DELETE CASCADE,
        -- csv: the row as a spreadsheet numbers it (the header is row 1); bulk: 1..n.
        row_number integer NOT NULL,
        -- csv: the row's cells as read, in the file's column order.
        data jsonb,
        -- bulk: the contact.
        contact_id uuid,
        -- Why the row failed; NULL while pending. Rows that succeed are deleted with their batch.
        reason text,
        PRIMARY KEY (import_id, row_number)
      );
      -- The error report reads the failed rows alone, in order.
      CREATE INDEX contact_import_rows_failed ON contact_import_rows (import_id, row_number) WHERE reason IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE contact_import_rows;
      DROP TABLE contact_imports;
    `);
  }
}
