import { claimStep, type StepClaim } from '../../../src/engine/run-step-store';
import type { StepFinish } from '../../../src/engine/run-step-finish-store';
import { createStepFinishWriter } from '../../../src/engine/step-finish-writer';
import { enrolByHand, stepsOf } from '../../helpers/engine';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The group commit of step finishes (src/engine/step-finish-writer.ts): the finishes of concurrent
 * jobs go to PostgreSQL in one statement, each with the outcome it would have had alone.
 */
describe('the group commit of step finishes', () => {
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
