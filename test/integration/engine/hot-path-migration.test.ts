import { DataSource } from 'typeorm';
import { migrations } from '../../../src/db/migrations';
import { HotPathIndexes1764000000005 } from '../../../src/db/migrations/1764000000005-hot-path-indexes';
import { definitionHash } from '../../../src/lib/definition-hash';
import { createTestDatabase } from '../../helpers/test-env';

const dataSource = (url: string, upTo: number) =>
  new DataSource({
    type: 'postgres',
    url,
    migrations: migrations.slice(0, upTo),
    migrationsTableName: 'schema_migrations',
    logging: false,
  });

describe('the hot-path-indexes migration on an existing database', () => {
  it('hashes every stored version, keeps the current one’s source, and indexes the resume of live runs', async () => {
    const database = await createTestDatabase();
    const before = dataSource(database.url, migrations.indexOf(HotPathIndexes1764000000005));
    try {
      await before.initialize();
      await before.runMigrations();
      const [account] = await before.query(`INSERT INTO accounts (name) VALUES ('Old') RETURNING id`);
      const [contact] = await before.query('INSERT INTO contacts (account_id, email) VALUES ($1, $2) RETURNING id', [
        account.id,
        'old@example.com',
      ]);
      const [workflow] = await before.query(
        `INSERT INTO workflows (account_id, slug, name, status, version, trigger_type, source) VALUES ($1, 'old', 'Old', 'active', 2, 'manual', 'file') RETURNING id`,
        [account.id],
      );
      const definitions = [
        { id: 'old', name: 'Old', steps: [] },
        { steps: [{ id: 'a', type: 'end' }], name: 'Old', id: 'old' },
      ];
      for (const [index, definition] of definitions.entries()) {
        await before.query('INSERT INTO workflow_versions (workflow_id, version, definition) VALUES ($1, $2, $3)', [
          workflow.id,
          index + 1,
          JSON.stringify(definition),
        ]);
      }
      const insertRun = async (status: string, resumedBy: string) => {
        const [run] = await before.query(
          `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status) VALUES ($1, $2, 2, $3, $4) RETURNING id`,
          [account.id, workflow.id, contact.id, status],
        );
        await before.query(
          `INSERT INTO run_steps (run_id, step_id, type, seq, status, output) VALUES ($1, 'wait', 'wait', 0, 'completed', $2)`,
          [run.id, JSON.stringify({ resumedBy: 'event', resumedByEvent: resumedBy })],
        );
        return run.id as string;
      };
      const live = await insertRun('running', '41');
      const finished = await insertRun('completed', '42');
      await before.destroy();

      const after = dataSource(database.url, migrations.length);
      await after.initialize();
      try {
        // As start-up migrates (src/db/data-source.ts): one transaction per migration, so that one may
        // run outside a transaction (1764000000014 builds its indexes CONCURRENTLY).
        await after.runMigrations({ transaction: 'each' });
        const versions = await after.query(
          'SELECT version, source, definition_hash FROM workflow_versions ORDER BY version',
        );
        expect(versions).toEqual([
          { version: 1, source: null, definition_hash: definitionHash(definitions[0]) },
          { version: 2, source: 'file', definition_hash: definitionHash(definitions[1]) },
        ]);
        const steps = await after.query('SELECT run_id, resumed_by_event FROM run_steps');
        expect(
          Object.fromEntries(
            steps.map((row: { run_id: string; resumed_by_event: string | null }) => [row.run_id, row.resumed_by_event]),
          ),
        ).toEqual({
          [live]: '41',
          [finished]: null,
        });
      } finally {
        await after.destroy();
      }
    } finally {
      if (before.isInitialized) await before.destroy();
      await database.drop();
    }
  });
});
