import { cancelRun } from '../../../src/engine/run-cancel';
import { claimStep } from '../../../src/engine/run-step-store';
import { createStepOpenWriter } from '../../../src/engine/step-open-writer';
import { RUN_CONTEXT_COLUMNS } from '../../../src/actions/run-context';
import { enrolByHand, stepsOf } from '../../helpers/engine';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The group commit of step jobs' openings (src/engine/step-open-writer.ts): the openings of
 * concurrent jobs go to PostgreSQL in one statement, each claimed and read as it would be alone.
 */
describe('the group commit of step openings', () => {
  let env: TestEnv;
  let accountId: string;
  let runs = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  const db = () => env.container.db.manager;
  const newRun = () =>
    enrolByHand(env.container, accountId, `opened-${++runs}`, [
      { id: 'first', type: 'add_tag', tag: 'a' },
      { id: 'second', type: 'add_tag', tag: 'b' },
    ]);
  const batches = (sent: string[]) => sent.filter((sql) => sql.startsWith('WITH opens AS')).length;

  it('opens the steps of concurrent jobs in one statement, each claimed and read as it would be alone', async () => {
    const fresh = await Promise.all([newRun(), newRun(), newRun()]);
    // A run one step in: its opening reads the earlier step's output.
    const along = await newRun();
    const first = (await claimStep(db(), { runId: along.runId, stepId: 'first', type: 'add_tag' }))!;
    await env.container.db.query(
      `UPDATE run_steps SET status = 'completed', output = '{"added":["a"]}', next_step_id = 'second' WHERE run_id = $1 AND claim_token = $2`,
      [along.runId, first.claimToken],
    );
    const cancelled = await newRun();
    await env.container.db.transaction((tx) => cancelRun(tx, cancelled.runId));
    const elsewhere = await newRun();

    const writer = createStepOpenWriter(env.container.db, RUN_CONTEXT_COLUMNS);
    const { result, sent } = await statementsOf(() =>
      Promise.all([
        ...fresh.map(({ runId }) => writer.submit({ runId, stepId: 'first' })),
        writer.submit({ runId: along.runId, stepId: 'second' }),
        writer.submit({ runId: cancelled.runId, stepId: 'first' }),
        // A step the run's version does not have: not claimed.
        writer.submit({ runId: elsewhere.runId, stepId: 'nowhere' }),
        writer.submit({ runId: '00000000-0000-4000-8000-000000000000', stepId: 'first' }),
      ]),
    );
    expect(batches(sent)).toBe(1);
    expect(sent).toHaveLength(1);

    for (const [i, { runId }] of fresh.entries()) {
      const opened = result[i]!;
      expect(opened.run.id).toBe(runId);
      expect(opened.claim).toEqual({ attempts: 1, claimToken: expect.any(String), seq: 0 });
      expect(opened.context!.contact).toEqual(expect.objectContaining({ email: `opened-${i + 1}@example.com` }));
      expect(opened.context!.account).toEqual(expect.objectContaining({ id: accountId }));
      expect(opened.context!.outputs).toEqual([]);
      expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status])).toEqual([
        ['first', 'running'],
      ]);
    }
    const next = result[3]!;
    expect(next.claim).toEqual({ attempts: 1, claimToken: expect.any(String), seq: 1 });
    expect(next.context!.outputs).toEqual([{ step_id: 'first', type: 'add_tag', output: { added: ['a'] } }]);
    expect(result[4]).toEqual(expect.objectContaining({ claim: null, context: null }));
    expect(result[4]!.run.status).toBe('cancelled');
    expect(result[5]).toEqual(expect.objectContaining({ claim: null, context: null }));
    expect(result[6]).toBeNull();
    const [current] = await env.container.db.query('SELECT current_step_id FROM runs WHERE id = $1', [along.runId]);
    expect(current).toEqual({ current_step_id: 'second' });
  });

  it('claims a step again with a fresh token when two jobs of one run open it, one batch after the other', async () => {
    const { runId } = await newRun();
    const writer = createStepOpenWriter(env.container.db, RUN_CONTEXT_COLUMNS);
    const { result, sent } = await statementsOf(() =>
      Promise.all([writer.submit({ runId, stepId: 'first' }), writer.submit({ runId, stepId: 'first' })]),
    );
    expect(batches(sent)).toBe(2);
    expect(result.map((opened) => opened!.claim!.attempts)).toEqual([1, 2]);
    expect(result[0]!.claim!.claimToken).not.toBe(result[1]!.claim!.claimToken);
  });
});
