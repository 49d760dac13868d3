import { appendEvent } from '../../../src/events/outbox';
import { jobIds } from '../../../src/queue/job-ids';
import { processEvent } from '../../../src/triggers/event-processor';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow } from '../../helpers/engine';

describe('an event delivered again after its resume committed', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('enqueues the next step the first delivery lost, found by the event that resumed the wait', async () => {
    const { container } = env;
    const { accountId } = await createTestAccount(container);
    const workflow = await addWorkflow(container, accountId, {
      id: 'pay',
      name: 'Pay',
      trigger: { type: 'manual' },
      steps: [
        { id: 'wait', type: 'wait', duration: '1h', event: 'paid', onEvent: 'thanks' },
        { id: 'thanks', type: 'add_tag', tag: 'paid' },
      ],
    });
    const contact = await addContact(container, accountId, { email: 'payer@example.com' });
    // A run standing at its wait, as the step processor leaves it (no worker runs in this test).
    const [run] = await container.db.query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, wait_event, trigger)
       VALUES ($1, $2, 1, $3, 'waiting', 'wait', 'paid', '{"type":"manual","data":{}}') RETURNING id`,
      [accountId, workflow.id, contact.id],
    );
    await container.db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, output) VALUES ($1, 'wait', 'wait', 0, 'waiting', '{"wait":{"onEvent":"thanks"}}')`,
      [run.id],
    );
    const eventId = await container.db.transaction((tx) =>
      appendEvent(tx, { accountId, type: 'paid', contactId: contact.id }),
    );

    await processEvent(container, eventId);
    const steps = container.queues.queue('steps');
    const [resumed] = await container.db.query('SELECT status, resumed_by_event FROM run_steps WHERE run_id = $1', [
      run.id,
    ]);
    expect(resumed).toEqual({ status: 'completed', resumed_by_event: eventId });
    // The crash: the resume committed but its job never reached Redis.
    await steps.remove(jobIds.step(run.id, 'thanks'));
    expect(await steps.getJob(jobIds.step(run.id, 'thanks'))).toBeUndefined();

    await processEvent(container, eventId);
    expect((await steps.getJob(jobIds.step(run.id, 'thanks')))?.data).toEqual({ runId: run.id, stepId: 'thanks' });
  });
});
