import { RUN_CONTEXT_COLUMNS } from '../../../src/actions/run-context';
import { cancelRun } from '../../../src/engine/run-cancel';
import { claimStep, type StepClaim } from '../../../src/engine/run-step-store';
import type { StepFinish } from '../../../src/engine/run-step-finish-store';
import { createStepFinishWriter } from '../../../src/engine/step-finish-writer';
import { createStepOpenWriter } from '../../../src/engine/step-open-writer';
import { enrolByHand, stepsOf } from '../../helpers/engine';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The group commits of step jobs (src/engine/run-batch.ts): the openings (step-open-writer.ts) and
 * the finishes (step-finish-writer.ts) of concurrent jobs go to PostgreSQL in one statement each,
 * each with the outcome it would have had alone.
 */
describe('the group commits of step jobs', () => {
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

  describe('of openings', () => {
    const newRun = async () => {
      const slug = `opened-${++runs}`;
      const enrolled = await enrolByHand(env.container, accountId, slug, [
        { id: 'first', type: 'add_tag', tag: 'a' },
        { id: 'second', type: 'add_tag', tag: 'b' },
      ]);
      return { ...enrolled, slug };
    };
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
        expect(opened.context!.contact).toEqual(expect.objectContaining({ email: `${fresh[i]!.slug}@example.com` }));
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

  describe('of finishes', () => {
    /** A run of first → second → end whose first step is claimed, as a step job holds it. */
    const claimedRun = async (): Promise<{ runId: string; claim: StepClaim }> => {
      const { runId } = await enrolByHand(env.container, accountId, `grouped-${++runs}`, [
        { id: 'first', type: 'add_tag', tag: 'a' },
        { id: 'second', type: 'add_tag', tag: 'b' },
        { id: 'done', type: 'end' },
      ]);
      const claim = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
      return { runId, claim };
    };
    const finishOf = (runId: string, claim: StepClaim, extra: Partial<StepFinish> = {}): StepFinish => ({
      runId,
      stepId: 'first',
      claimToken: claim.claimToken,
      status: 'completed',
      output: { tagged: runId },
      nextStepId: 'second',
      nextType: 'add_tag',
      ...extra,
    });
    const runOf = async (runId: string) =>
      (await env.container.db.query('SELECT status, current_step_id FROM runs WHERE id = $1', [runId]))[0] as {
        status: string;
        current_step_id: string | null;
      };
    const batches = (sent: string[]) => sent.filter((sql) => sql.startsWith('WITH finishes AS')).length;

    it('writes the finishes of concurrent jobs in one statement, each as it would be written alone', async () => {
      const claimed = await Promise.all(Array.from({ length: 12 }, claimedRun));
      const writer = createStepFinishWriter(env.container.db);
      // Half go on inline (the next step claimed with the finish), half hand on; the last ends its run.
      const finishes = claimed.map(({ runId, claim }, i) =>
        i === 11
          ? finishOf(runId, claim, { nextStepId: null, nextType: null })
          : finishOf(runId, claim, i % 2 === 0 ? {} : { nextType: null }),
      );
      const { result, sent } = await statementsOf(() => Promise.all(finishes.map((finish) => writer.submit(finish))));
      expect(batches(sent)).toBe(1);
      expect(sent).toHaveLength(1);

      result.forEach((written, i) => {
        const { runId } = claimed[i]!;
        if (i % 2 === 0 && i !== 11) {
          expect(written).toEqual({
            finished: true,
            output: { tagged: runId },
            claim: { attempts: 1, claimToken: expect.any(String), seq: 1 },
          });
        } else {
          expect(written).toEqual({ finished: true, output: { tagged: runId }, claim: null });
        }
      });
      for (const [i, { runId }] of claimed.entries()) {
        const steps = (await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status]);
        if (i === 11) {
          expect(steps).toEqual([['first', 'completed']]);
          expect(await runOf(runId)).toEqual({ status: 'completed', current_step_id: null });
        } else {
          expect(steps).toEqual(
            i % 2 === 0
              ? [
                  ['first', 'completed'],
                  ['second', 'running'],
                ]
              : [['first', 'completed']],
          );
          expect(await runOf(runId)).toEqual({ status: 'running', current_step_id: 'second' });
        }
      }
    });

    it('refuses the finish whose claim was taken over, and writes the others of its batch', async () => {
      const claimed = await Promise.all(Array.from({ length: 3 }, claimedRun));
      const stolen = claimed[1]!;
      // Another execution claimed the step since (the job was declared stalled): the first claim is stale.
      await claimStep(db(), { runId: stolen.runId, stepId: 'first', type: 'add_tag' });
      const writer = createStepFinishWriter(env.container.db);
      const { result, sent } = await statementsOf(() =>
        Promise.all(claimed.map(({ runId, claim }) => writer.submit(finishOf(runId, claim)))),
      );
      expect(batches(sent)).toBe(1);
      expect(result.map((written) => written.finished)).toEqual([true, false, true]);
      expect((await stepsOf(env.container, stolen.runId)).map((step) => [step.step_id, step.status])).toEqual([
        ['first', 'running'],
      ]);
      expect(await runOf(stolen.runId)).toEqual({ status: 'running', current_step_id: 'first' });
    });

    it('fails only the job whose finish PostgreSQL refuses: the others are written alone after the batch failed', async () => {
      const claimed = await Promise.all(Array.from({ length: 3 }, claimedRun));
      const writer = createStepFinishWriter(env.container.db);
      // A NUL character: JSON can carry it, jsonb refuses it (the step runner's outputs never hold one).
      const refused = { ...finishOf(claimed[0]!.runId, claimed[0]!.claim), output: { text: 'nul \u0000 here' } };
      const { result, sent } = await statementsOf(() =>
        Promise.allSettled([
          writer.submit(refused),
          ...claimed.slice(1).map(({ runId, claim }) => writer.submit(finishOf(runId, claim))),
        ]),
      );
      // The batch, then each finish alone.
      expect(batches(sent)).toBe(4);
      expect(result.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
      expect((await stepsOf(env.container, claimed[0]!.runId)).map((step) => step.status)).toEqual(['running']);
      for (const { runId } of claimed.slice(1))
        expect((await stepsOf(env.container, runId)).map((step) => step.status)).toEqual(['completed', 'running']);
    });

    it('never puts two finishes of one run in one statement: the second waits for the next batch', async () => {
      const { runId, claim: stale } = await claimedRun();
      const owner = (await claimStep(db(), { runId, stepId: 'first', type: 'add_tag' }))!;
      const writer = createStepFinishWriter(env.container.db);
      const { result, sent } = await statementsOf(() =>
        Promise.all([writer.submit(finishOf(runId, stale)), writer.submit(finishOf(runId, owner))]),
      );
      expect(batches(sent)).toBe(2);
      expect(result.map((written) => written.finished)).toEqual([false, true]);
      expect((await stepsOf(env.container, runId)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
        ['first', 'completed', 2],
        ['second', 'running', 1],
      ]);
    });
  });
});
