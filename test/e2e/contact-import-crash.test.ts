import { createApp } from '../../src/roles/http-app';
import { startRecoveringWorker, type LinkflowProcess } from '../helpers/linkflow-process';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { uploadCsv } from '../integration/contacts/import-helpers';

jest.setTimeout(180_000);

const ROWS = 20_000;

interface ImportRow {
  status: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  failed: number;
}

describe('a contact import whose worker process is killed', () => {
  let env: TestEnv;
  const processes: LinkflowProcess[] = [];
  const startWorker = () => startRecoveringWorker(env.env, processes);

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await env.cleanup();
  });

  const importRow = async (id: string): Promise<ImportRow> =>
    (
      (await env.container.db.query(
        'SELECT status, total, processed, created, updated, failed FROM contact_imports WHERE id = $1',
        [id],
      )) as ImportRow[]
    )[0]!;

  it('goes on where the last committed batch stopped, counting no row twice', async () => {
    const { accountId, apiKey } = await createTestAccount(env.container);
    const app = createApp(env.container); // the API in this process; the workers are processes of their own
    const first = await startWorker();
    const csv = `email,first_name\n${Array.from({ length: ROWS }, (_, i) => `crash${i}@example.com,Crash ${i}`).join('\n')}\n`;
    const accepted = await uploadCsv(app, apiKey, csv, { tags: 'imported' }).expect(202);
    const id = accepted.body.id as string;

    const atKill = await waitFor(
      async () => {
        const row = await importRow(id);
        return row.processed >= 2000 ? row : null;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'the import under way' },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const killed = await importRow(id);
    expect(killed.status).toBe('running'); // else the kill came too late to test anything
    expect(killed.processed).toBeLessThan(ROWS);
    expect(killed.processed % 1000).toBe(0); // whole batches only: the one in flight rolled back
    expect(killed.processed).toBeGreaterThanOrEqual(atKill.processed);

    await startWorker();
    const finished = await waitFor(
      async () => {
        const row = await importRow(id);
        return row.status === 'completed' || row.status === 'failed' ? row : null;
      },
      { timeoutMs: 120_000, intervalMs: 200, what: 'the import finished by the second worker' },
    );
    expect(finished).toEqual({
      status: 'completed',
      total: ROWS,
      processed: ROWS,
      created: ROWS,
      updated: 0,
      failed: 0,
    });

    const counts: { contacts: string; created: string; tagged: string; staged: string }[] =
      await env.container.db.query(
        `SELECT (SELECT count(*) FROM contacts WHERE account_id = $1) AS contacts,
              (SELECT count(*) FROM outbox_events WHERE account_id = $1 AND type = 'contact.created') AS created,
              (SELECT count(*) FROM outbox_events WHERE account_id = $1 AND type = 'contact.tag_added') AS tagged,
              (SELECT count(*) FROM contact_import_rows WHERE import_id = $2) AS staged`,
        [accountId, id],
      );
    expect(counts[0]).toEqual({ contacts: String(ROWS), created: String(ROWS), tagged: String(ROWS), staged: '0' });
  });
});
