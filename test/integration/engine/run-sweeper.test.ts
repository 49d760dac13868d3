import { enrolContact } from '../../../src/engine/enrolment';
import { sweepRuns, STALE_RUNNING_MS } from '../../../src/engine/run-sweeper';
import { loadWorkflowVersion } from '../../../src/workflows/workflow-repository';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';

describe('sweeping runs whose jobs Redis lost', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await env.cleanup();
  });

  it('re-enqueues a run that stood still with no job, and re-arms an overdue wait, and leaves fresh runs alone', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'orphans',
      name: 'Orphans',
      trigger: { type: 'manual' },
      steps: [
        { id: 'mark', type: 'add_tag', tag: 'swept' },
        { id: 'pause', type: 'wait', duration: '1h' },
        { id: 'done', type: 'end' },
      ],
    });
    const enrol = async (email: string) => {
      const contact = await addContact(env.container, accountId, { email });
      return (await env.container.db.transaction((tx) =>
        enrolContact(tx, {
          accountId,
          workflow: { id: workflow.id, version: 1, allowReentry: false, firstStepId: 'mark' },
          contactId: contact.id,
          enrolKey: `orphan:${email}`,
          trigger: { type: 'manual', data: {} },
        }),
      ))!.runId;
    };
    // Runs created in PostgreSQL whose jobs never reached Redis (as after Redis lost its data).
    const stale = await enrol('stale@example.com');
    const fresh = await enrol('fresh@example.com');
    // Started and last touched long ago (a run is never touched before it started).
    await env.container.db.query(
      `UPDATE runs SET started_at = now() - $2::interval, updated_at = now() - $2::interval WHERE id = $1`,
      [stale, `${STALE_RUNNING_MS / 1000 + 60} seconds`],
    );

    expect(await sweepRuns(env.container, { loadVersion: loadWorkflowVersion })).toBe(1);
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).find((run) => run.id === stale)?.status === 'waiting',
      { what: 'the stale run moved on' },
    );
    expect((await runsOf(env.container, workflow.id)).find((run) => run.id === fresh)?.status).toBe('running');

    // Its timer job is lost too: the wait is an hour overdue.
    await env.container.queues.queue('steps').obliterate({ force: true });
    await env.container.db.query(`UPDATE runs SET wait_until = now() - interval '1 hour' WHERE id = $1`, [stale]);
    expect(await sweepRuns(env.container, { loadVersion: loadWorkflowVersion })).toBe(1);
    await waitFor(
      async () => (await runsOf(env.container, workflow.id)).find((run) => run.id === stale)?.status === 'completed',
      { what: 'the stale run completed' },
    );
  });
});
