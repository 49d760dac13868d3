import { claimStep } from '../../../src/engine/run-step-store';
import { enrolByHand, finishOne } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * A step's move of its run, and its own finish, are heap-only (HOT) updates: no index covers a
 * column they write (migration 1764000000016), so they write no index entry, only the row.
 */
describe('heap-only moves of a run', () => {
  let env: TestEnv;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(() => env.cleanup());

  /** This transaction's updates of runs and run_steps, and how many of them were heap-only. */
  const updatesSoFar = (tx: { query: (sql: string) => Promise<{ relname: string; upd: number; hot: number }[]> }) =>
    tx
      .query(
        `SELECT relname, n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables
         WHERE relname IN ('runs', 'run_steps') ORDER BY relname`,
      )
      .then((rows) => Object.fromEntries(rows.map((row) => [row.relname, { upd: row.upd, hot: row.hot }])));

  it('writes no index entry when a step is claimed or finished and its run moves on', async () => {
    const { runId } = await enrolByHand(env.container, accountId, 'hot-moves', [
      { id: 'first', type: 'add_tag', tag: 'one' },
      { id: 'second', type: 'add_tag', tag: 'two' },
      { id: 'done', type: 'end' },
    ]);
    await env.container.db.transaction(async (tx) => {
      const claim = await claimStep(tx, { runId, stepId: 'first', type: 'add_tag' });
      expect(claim).not.toBeNull();
      // The claim inserted the step's row and moved the run to it.
      expect(await updatesSoFar(tx)).toEqual({ runs: { upd: 1, hot: 1 }, run_steps: { upd: 0, hot: 0 } });
      const finished = await finishOne(tx, {
        runId,
        stepId: 'first',
        claimToken: claim!.claimToken,
        status: 'completed',
        output: { tag: 'one', added: true },
        nextStepId: 'second',
        nextType: 'add_tag',
      });
      expect(finished).toMatchObject({ finished: true, claim: { seq: 1 } });
      // The finish rewrote the step's row and the run's (to the next step, which it claimed).
      expect(await updatesSoFar(tx)).toEqual({ runs: { upd: 2, hot: 2 }, run_steps: { upd: 1, hot: 1 } });
    });
  });

  it('keeps every index of runs off the columns a move writes', async () => {
    const definitions: { indexdef: string }[] = await env.container.db.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'runs'`,
    );
    expect(definitions.length).toBeGreaterThan(5);
    for (const { indexdef } of definitions) expect(indexdef).not.toMatch(/\b(current_step_id|updated_at)\b/);
  });
});
