import { Client } from 'pg';
import { enrolContact } from '../../../src/engine/enrolment';
import { scheduleSteps } from '../../../src/engine/step-scheduler';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { loadWorkflowVersion } from '../../../src/workflows/workflow-repository';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';

jest.setTimeout(60_000);

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** Takes this test's database away (no new connections, existing ones killed), then gives it back. */
async function setDatabaseReachable(name: string, reachable: boolean): Promise<void> {
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${reachable ? 'true' : 'false'}`);
    if (!reachable)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
  } finally {
    await admin.end();
  }
}

describe('losing PostgreSQL while running', () => {
  let env: TestEnv;
  let workers: RunningWorkers | undefined;
  let databaseName: string;

  beforeAll(async () => {
    env = await createTestEnv();
    databaseName = new URL(env.config.DATABASE_URL).pathname.slice(1);
  });
  afterAll(async () => {
    await setDatabaseReachable(databaseName, true);
    await workers?.close();
    await env.cleanup();
  });

  it("waits the outage out instead of spending a step's only attempt, and the run completes", async () => {
    const { accountId } = await createTestAccount(env.container);
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'fragile',
      name: 'Fragile',
      trigger: { type: 'manual' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'survived', retry: { attempts: 1 } }],
    });
    const contact = await addContact(env.container, accountId, { email: 'fragile@example.com' });
    const definition = await loadWorkflowVersion(env.container.db.manager, workflow.id, 1);
    const run = await env.container.db.transaction((tx) =>
      enrolContact(tx, {
        accountId,
        workflow: { id: workflow.id, version: 1, allowReentry: false, firstStepId: 'mark' },
        contactId: contact.id,
        enrolKey: 'outage-test',
        trigger: { type: 'manual', data: {} },
      }),
    );

    await setDatabaseReachable(databaseName, false);
    await scheduleSteps(env.container.queues, definition, [{ runId: run!.runId, stepId: 'mark', lane: 'interactive' }]);
    workers = startWorkers(env.container);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the step's job meets a dead database
    await setDatabaseReachable(databaseName, true);

    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', {
      timeoutMs: 20_000,
      what: 'the run completed',
    });
    expect(await stepsOf(env.container, run!.runId)).toEqual([
      expect.objectContaining({ step_id: 'mark', status: 'completed', attempts: 1 }),
    ]);
  });
});
