import { appendEvents, type OutboxEventInput } from '../../../src/events/outbox';
import type { OutboxEventRow } from '../../../src/events/outbox-store';
import { INLINE_STARTS_AT_ONCE, startRuns, startStepsInline } from '../../../src/engine/inline-start';
import { claimStep } from '../../../src/engine/run-step-store';
import { jobIds } from '../../../src/queue/job-ids';
import { createEngineResources } from '../../../src/roles/engine-resources';
import { CAMPAIGN_QUEUE } from '../../../src/queue/run-lanes';
import { processCampaignBatch } from '../../../src/triggers/campaigns';
import { processEventBatch } from '../../../src/triggers/event-processor';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { expectMessageRowsBatched, statementsOf } from '../../helpers/statement-watch';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

/**
 * The runs an event batch enrols start at once, in the batch's job (src/engine/inline-start.ts): no
 * step job is queued for them; a start that fails around its steps is handed to a step job; and a
 * batch redelivered after a crash mid-start runs the step in flight again, once, and nothing else.
 */
describe('starting new runs inline, in the job that enrolled them', () => {
  let env: TestEnv;
  let accountId: string;
  let sink: CaptureServer;
  let engine: ReturnType<typeof createEngineResources>;

  beforeAll(async () => {
    // No worker here (and none takes campaign jobs): what is enqueued stays in view.
    env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', CAMPAIGN_CONCURRENCY: '0' });
    ({ accountId } = await createTestAccount(env.container));
    // The `inline-twice` webhooks are answered slowly: they are in flight while a second job runs.
    sink = await startCaptureServer((request) => ({
      status: 200,
      body: { ok: true },
      ...(request.url.startsWith('/inline-twice') && { delayMs: 400 }),
    }));
    engine = createEngineResources(env.container);
  });
  afterAll(async () => {
    await engine.close();
    await sink.close();
    await env.cleanup();
  });

  const db = () => env.container.db;
  async function batchOf(events: OutboxEventInput[]): Promise<OutboxEventRow[]> {
    const [{ id: before }] = await db().query('SELECT coalesce(max(id), 0) AS id FROM outbox_events');
    await db().transaction((tx) => appendEvents(tx, events));
    return db().query(
      'SELECT id, account_id, type, contact_id, data, lane FROM outbox_events WHERE id > $1 ORDER BY id',
      [before],
    );
  }
  const runsOf = (workflowId: string): Promise<{ id: string; status: string; contact_id: string }[]> =>
    db().query('SELECT id, status, contact_id FROM runs WHERE workflow_id = $1 ORDER BY contact_id', [workflowId]);
  const stepJobState = (runId: string, stepId: string) =>
    env.container.queues.queue('steps').getJobState(jobIds.step(runId, stepId));
  const hooksTo = (path: string) => sink.requests.filter((request) => request.url === path).length;

  async function workflowWithHook(slug: string) {
    return addWorkflow(env.container, accountId, {
      id: slug,
      name: slug,
      trigger: { type: 'event', event: slug },
      steps: [
        { id: 'tag', type: 'add_tag', tag: `${slug}-tagged` },
        { id: 'hook', type: 'webhook', url: `${sink.url}/${slug}`, body: { who: '{{contact.email}}' } },
        { id: 'done', type: 'end' },
      ],
    });
  }

  it('runs every new run of a batch to its end in the batch, with no step job queued', async () => {
    const workflow = await workflowWithHook('inline-all');
    const people = await Promise.all(
      [0, 1, 2, 3].map((i) => addContact(env.container, accountId, { email: `inline-all${i}@example.com` })),
    );
    const batch = await batchOf(people.map((contact) => ({ accountId, type: 'inline-all', contactId: contact.id })));

    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources));

    const runs = await runsOf(workflow.id);
    expect(runs.map((run) => run.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    for (const run of runs) {
      expect((await stepsOf(env.container, run.id)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
        ['tag', 'completed', 1],
        ['hook', 'completed', 1],
        ['done', 'completed', 1],
      ]);
      expect(await stepJobState(run.id, 'tag')).toBe('unknown');
    }
    expect(hooksTo('/inline-all')).toBe(4);
  });

  it('claims each new run’s first step in the enrolment’s own statement: no opening is sent for it', async () => {
    const workflow = await workflowWithHook('inline-claimed');
    const people = await Promise.all(
      [0, 1, 2].map((i) => addContact(env.container, accountId, { email: `inline-claimed${i}@example.com` })),
    );
    const batch = await batchOf(
      people.map((contact) => ({ accountId, type: 'inline-claimed', contactId: contact.id })),
    );
    const opened: string[] = [];
    const resources = {
      ...engine.resources,
      opens: {
        ...engine.resources.opens,
        submit: (open: { runId: string; stepId: string }) => {
          opened.push(open.stepId);
          return engine.resources.opens.submit(open);
        },
      },
    };

    await processEventBatch(env.container, batch, startStepsInline(env.container, resources));

    expect(opened).toEqual([]);
    const rows: { status: string; first_claimed_with_run: boolean; attempts: number }[] = await db().query(
      `SELECT r.status, s.started_at = r.started_at AS first_claimed_with_run, s.attempts
         FROM runs r JOIN run_steps s ON s.run_id = r.id AND s.step_id = 'tag' WHERE r.workflow_id = $1`,
      [workflow.id],
    );
    // One statement wrote the run and its first step's claim: one transaction, one now().
    expect(rows).toEqual([0, 1, 2].map(() => ({ status: 'completed', first_claimed_with_run: true, attempts: 1 })));
    expect(hooksTo('/inline-claimed')).toBe(3);
    const [contact] = await db().query('SELECT tags FROM contacts WHERE id = $1', [people[0]!.id]);
    expect(contact.tags).toContain('inline-claimed-tagged');
  });

  it('runs a first step claimed by an enrolment whose start then died once, when the batch is redelivered', async () => {
    const workflow = await workflowWithHook('inline-claim-crash');
    const contact = await addContact(env.container, accountId, { email: 'inline-claim-crash@example.com' });
    const batch = await batchOf([{ accountId, type: 'inline-claim-crash', contactId: contact.id }]);
    // The first delivery's enrolment claimed the first step and committed; the process died before the step ran.
    let handed = 0;
    const diedBeforeTheStep = Object.assign(
      async (_definition: unknown, steps: { opened?: unknown }[]) => {
        handed += steps.filter((step) => step.opened !== undefined).length;
      },
      { claimsAtEnrolment: engine.resources.contextColumns },
    );
    await processEventBatch(env.container, batch, diedBeforeTheStep);
    expect(handed).toBe(1);
    const [run] = await runsOf(workflow.id);
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['tag', 'running', 1],
    ]);

    // Redelivered: the run is found by its enrol key and its claimed step is the step in flight, run once.
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources));
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources));

    expect((await runsOf(workflow.id)).map((r) => r.status)).toEqual(['completed']);
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['tag', 'completed', 2],
      ['hook', 'completed', 1],
      ['done', 'completed', 1],
    ]);
    expect(hooksTo('/inline-claim-crash')).toBe(1);
  });

  it('writes the message rows of concurrent email steps in shared statements, one row per run', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'inline-mail',
      name: 'inline-mail',
      trigger: { type: 'event', event: 'inline-mail' },
      steps: [{ id: 'mail', type: 'send_email', subject: 'Hi {{contact.email}}', text: 'Hello' }],
    });
    const people = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => addContact(env.container, accountId, { email: `inline-mail${i}@example.com` })),
    );
    const batch = await batchOf(people.map((contact) => ({ accountId, type: 'inline-mail', contactId: contact.id })));

    const { sent } = await statementsOf(() =>
      processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources)),
    );

    // Six emails: their rows inserted before the sends and settled after them in fewer statements.
    expectMessageRowsBatched(sent, 6);
    const rows: { email: string; to: string; subject: string; status: string; run_status: string }[] = await db().query(
      `SELECT c.email, m."to", m.subject, m.status, r.status AS run_status
         FROM runs r JOIN contacts c ON c.id = r.contact_id JOIN messages m ON m.run_id = r.id
        WHERE r.workflow_id = $1 ORDER BY c.email`,
      [workflow.id],
    );
    expect(rows).toEqual(
      people.map((_, i) => ({
        email: `inline-mail${i}@example.com`,
        to: `inline-mail${i}@example.com`,
        subject: `Hi inline-mail${i}@example.com`,
        // No SMTP_URL here: the mailer only records, so each message ends `not_delivered`.
        status: 'not_delivered',
        run_status: 'completed',
      })),
    );
  });

  it('hands a run whose start fails around its steps to a step job, and starts the others', async () => {
    const workflow = await workflowWithHook('inline-handoff');
    const people = await Promise.all(
      [0, 1].map((i) => addContact(env.container, accountId, { email: `inline-handoff${i}@example.com` })),
    );
    const batch = await batchOf(
      people.map((contact) => ({ accountId, type: 'inline-handoff', contactId: contact.id })),
    );
    // The version cannot be read for the first start to ask for it (as when a read fails for another
    // reason than PostgreSQL being away); the starts run concurrently, so which run that is is not fixed.
    let refused = 0;
    const resources = {
      ...engine.resources,
      loadVersion: async (...args: Parameters<typeof engine.resources.loadVersion>) => {
        if (refused === 0) {
          refused++;
          throw new Error('version store hiccup');
        }
        return engine.resources.loadVersion(...args);
      },
    };

    await processEventBatch(env.container, batch, startStepsInline(env.container, resources));

    const runs = await runsOf(workflow.id);
    expect(refused).toBe(1);
    expect(runs.map((run) => run.status).sort()).toEqual(['completed', 'running']);
    const handedOff = runs.find((run) => run.status === 'running')!;
    const started = runs.find((run) => run.status === 'completed')!;
    expect(await stepJobState(started.id, 'tag')).toBe('unknown');
    expect(await stepJobState(handedOff.id, 'tag')).toBe('waiting');
    // Its opening claimed the first step, which was not executed: the step job claims it again.
    expect((await stepsOf(env.container, handedOff.id)).map((step) => [step.step_id, step.status])).toEqual([
      ['tag', 'running'],
    ]);
    expect(hooksTo('/inline-handoff')).toBe(1);
  });

  it("leaves the runs another job's batch created to that job: one event in two jobs runs each step once", async () => {
    const workflow = await workflowWithHook('inline-twice');
    const people = await Promise.all(
      [0, 1].map((i) => addContact(env.container, accountId, { email: `inline-twice${i}@example.com` })),
    );
    const batch = await batchOf(people.map((contact) => ({ accountId, type: 'inline-twice', contactId: contact.id })));
    // The relay killed between putting a batch in Redis and marking its events published: the next
    // relay cut them into another batch, so two jobs carry them. The first is executing their runs
    // (its webhooks in flight) when the second runs.
    const first = processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources), 'job-a');
    await waitFor(() => hooksTo('/inline-twice') === 2, { what: "the first job's webhooks", timeoutMs: 10_000 });
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources), 'job-b');
    await first;

    const runs = await runsOf(workflow.id);
    expect(runs.map((run) => run.status)).toEqual(['completed', 'completed']);
    for (const run of runs)
      expect((await stepsOf(env.container, run.id)).map((step) => [step.step_id, step.attempts])).toEqual([
        ['tag', 1],
        ['hook', 1],
        ['done', 1],
      ]);
    expect(hooksTo('/inline-twice')).toBe(2);
  });

  it("restarts a run its own job's earlier delivery created, and leaves it to that job otherwise", async () => {
    const workflow = await workflowWithHook('inline-owned');
    const contact = await addContact(env.container, accountId, { email: 'inline-owned@example.com' });
    const batch = await batchOf([{ accountId, type: 'inline-owned', contactId: contact.id }]);
    // Job A enrolled the run (its first step claimed by the enrolment), then its process died.
    const { claimsAtEnrolment } = startStepsInline(env.container, engine.resources);
    await processEventBatch(
      env.container,
      batch,
      Object.assign(async () => undefined, { claimsAtEnrolment }),
      'job-a',
    );
    const [run] = await runsOf(workflow.id);
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.status])).toEqual([
      ['tag', 'running'],
    ]);
    // Another job with the same event leaves it to job A, which BullMQ hands over as stalled.
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources), 'job-b');
    expect((await runsOf(workflow.id)).map((r) => r.status)).toEqual(['running']);
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.attempts])).toEqual([['tag', 1]]);
    // Job A's redelivery starts it where it stands: the step in flight taken over, once.
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources), 'job-a');
    expect((await runsOf(workflow.id)).map((r) => r.status)).toEqual(['completed']);
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.attempts])).toEqual([
      ['tag', 2],
      ['hook', 1],
      ['done', 1],
    ]);
    expect(hooksTo('/inline-owned')).toBe(1);
  });

  it('runs the step in flight again, once, when the batch is redelivered after a crash mid-start', async () => {
    const workflow = await workflowWithHook('inline-crash');
    const contact = await addContact(env.container, accountId, { email: 'inline-crash@example.com' });
    const batch = await batchOf([{ accountId, type: 'inline-crash', contactId: contact.id }]);
    // The first delivery enrolled the run and started it: its first step finished, the webhook step
    // was claimed, and then the process died (its start is replayed here up to that point).
    let crashed = false;
    await processEventBatch(env.container, batch, async (_definition, steps) => {
      const runId = steps[0]!.runId;
      const tag = await claimStep(db().manager, { runId, stepId: 'tag', type: 'add_tag' });
      await db().query(
        `UPDATE run_steps SET status = 'completed', output = '{}', next_step_id = 'hook', finished_at = now() WHERE run_id = $1 AND step_id = 'tag' AND claim_token = $2`,
        [runId, tag!.claimToken],
      );
      await claimStep(db().manager, { runId, stepId: 'hook', type: 'webhook' });
      crashed = true;
    });
    expect(crashed).toBe(true);
    const [run] = await runsOf(workflow.id);
    expect(run!.status).toBe('running');

    // The redelivered batch finds the run by its enrol key and starts it where it stands.
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources));

    expect((await runsOf(workflow.id)).map((r) => r.status)).toEqual(['completed']);
    expect((await stepsOf(env.container, run!.id)).map((step) => [step.step_id, step.status, step.attempts])).toEqual([
      ['tag', 'completed', 1],
      ['hook', 'completed', 2],
      ['done', 'completed', 1],
    ]);
    expect(hooksTo('/inline-crash')).toBe(1);
    // A third delivery: nothing left to do, nothing done again.
    await processEventBatch(env.container, batch, startStepsInline(env.container, engine.resources));
    expect(hooksTo('/inline-crash')).toBe(1);
    expect(await stepJobState(run!.id, 'hook')).toBe('unknown');
  });

  it('starts a campaign batch’s runs in runs.start jobs of up to 16, added once however often the batch runs', async () => {
    const workflow = await workflowWithHook('inline-campaign');
    const total = INLINE_STARTS_AT_ONCE + 4;
    await db().query(
      `INSERT INTO contacts (account_id, email, tags) SELECT $1, 'inline-campaign' || n || '@example.com', '{inline-campaign}' FROM generate_series(1, $2::int) n`,
      [accountId, total],
    );
    const campaignId = '00000000-0000-4000-8000-0000000000c1';
    const batch = { campaignId, accountId, workflowId: workflow.id, tag: 'inline-campaign', after: null };
    await processCampaignBatch(env.container, batch);
    await processCampaignBatch(env.container, batch); // redelivered: the same jobs, no new one

    const queue = env.container.queues.queue(CAMPAIGN_QUEUE);
    const jobs = (await queue.getWaiting()).filter((job) => job.name === 'runs.start');
    expect(jobs.map((job) => [job.id, job.data.steps.length]).sort()).toEqual([
      [`campaign.${campaignId}.start.runs.0`, INLINE_STARTS_AT_ONCE],
      [`campaign.${campaignId}.start.runs.1`, 4],
    ]);
    const runs = await runsOf(workflow.id);
    expect(runs).toHaveLength(total);
    expect(new Set(jobs.flatMap((job) => job.data.steps.map((step: { runId: string }) => step.runId)))).toEqual(
      new Set(runs.map((run) => run.id)),
    );

    // The jobs run (twice, as after a redelivery): every run to its end, each step once.
    for (const job of [...jobs, ...jobs]) await startRuns(env.container, engine.resources, job.data);
    expect(new Set((await runsOf(workflow.id)).map((run) => run.status))).toEqual(new Set(['completed']));
    expect(hooksTo('/inline-campaign')).toBe(total);
    const [attempts] = await db().query(
      `SELECT max(s.attempts) AS max, count(*)::int AS n FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE r.workflow_id = $1`,
      [workflow.id],
    );
    expect(attempts).toEqual({ max: 1, n: 3 * total });
  });
});
