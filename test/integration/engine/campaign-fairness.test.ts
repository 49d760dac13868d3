import { closeContainer, createContainer, type Container } from '../../../src/container';
import { addTags } from '../../../src/contacts/contact-tags';
import { retryRun } from '../../../src/engine/run-retry';
import { sweepRuns, STALE_RUNNING_MS } from '../../../src/engine/run-sweeper';
import { createLogger } from '../../../src/lib/logger';
import { jobIds } from '../../../src/queue/job-ids';
import { CAMPAIGN_QUEUE } from '../../../src/queue/run-lanes';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { requestCampaign } from '../../../src/triggers/run-requests';
import { loadWorkflowVersion } from '../../../src/workflows/workflow-repository';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow } from '../../helpers/engine';

const CAMPAIGN_SIZE = 3000;

/** `count` contacts tagged `tag`, inserted in one statement (setup, not the path under test). */
async function seedTagged(c: Container, accountId: string, tag: string, count: number): Promise<void> {
  await c.db.query(
    `INSERT INTO contacts (account_id, email, tags)
     SELECT $1, $2 || '-' || g || '@example.com', ARRAY[$2] FROM generate_series(1, $3::int) g`,
    [accountId, tag, count],
  );
  await c.db.query('ANALYZE contacts');
}

async function startCampaign(c: Container, accountId: string, workflowId: string, tag: string): Promise<void> {
  await c.db.transaction((tx) =>
    requestCampaign(tx, accountId, { id: workflowId, status: 'active', allowReentry: false }, { tag }),
  );
}

async function runCounts(c: Container, workflowId: string): Promise<{ all: number; completed: number }> {
  const rows: { all: string; completed: string }[] = await c.db.query(
    `SELECT count(*) AS all, count(*) FILTER (WHERE status = 'completed') AS completed FROM runs WHERE workflow_id = $1`,
    [workflowId],
  );
  return { all: Number(rows[0]!.all), completed: Number(rows[0]!.completed) };
}

async function lanesOf(c: Container, workflowId: string): Promise<string[]> {
  const rows: { lane: string }[] = await c.db.query('SELECT DISTINCT lane FROM runs WHERE workflow_id = $1', [
    workflowId,
  ]);
  return rows.map((row) => row.lane);
}

describe("a campaign's runs and one contact's run", () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;

  beforeAll(async () => {
    // One campaign job at a time: the campaign drains slowly and steadily, whatever the machine's load.
    env = await createTestEnv({ CAMPAIGN_CONCURRENCY: '1' });
    ({ accountId } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await env.cleanup();
  });

  it("keeps what a campaign's steps trigger on the campaign lane, and the same trigger by hand on the interactive one", async () => {
    const c = env.container;
    await seedTagged(c, accountId, 'newsletter', 4);
    const campaign = await addWorkflow(c, accountId, {
      id: 'newsletter',
      name: 'Newsletter',
      trigger: { type: 'manual' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'newsletter-sent' }],
    });
    const followUp = await addWorkflow(c, accountId, {
      id: 'newsletter-follow-up',
      name: 'Newsletter follow-up',
      trigger: { type: 'contact.tag_added', tag: 'newsletter-sent' },
      steps: [{ id: 'note', type: 'update_contact', set: { 'customFields.followed': 'yes' } }],
    });
    const byHand = await addContact(c, accountId, { email: 'by-hand@example.com' });

    await startCampaign(c, accountId, campaign.id, 'newsletter');
    await c.db.transaction((tx) => addTags(tx, accountId, byHand.id, ['newsletter-sent']));
    await waitFor(async () => (await runCounts(c, followUp.id)).completed === 5, { what: 'the follow-ups completed' });

    const lanes: { lane: string; by_hand: boolean }[] = await c.db.query(
      `SELECT lane, contact_id = $2 AS by_hand FROM runs WHERE workflow_id = $1 ORDER BY by_hand, lane`,
      [followUp.id, byHand.id],
    );
    expect(lanes).toEqual([
      ...Array.from({ length: 4 }, () => ({ lane: 'campaign', by_hand: false })),
      { lane: 'interactive', by_hand: true },
    ]);
    expect(await lanesOf(c, campaign.id)).toEqual(['campaign']);
  });

  it("finishes one contact's tag-triggered runs while a campaign of thousands still has most of its runs queued", async () => {
    const c = env.container;
    await seedTagged(c, accountId, 'spring-sale', CAMPAIGN_SIZE);
    const campaign = await addWorkflow(c, accountId, {
      id: 'spring-sale',
      name: 'Spring sale',
      trigger: { type: 'manual' },
      steps: [
        { id: 'mark', type: 'add_tag', tag: 'spring-sale-sent' },
        { id: 'note', type: 'update_contact', set: { 'customFields.wave': '1' } },
      ],
    });
    const welcome = await addWorkflow(c, accountId, {
      id: 'welcome-vip',
      name: 'Welcome a VIP',
      trigger: { type: 'contact.tag_added', tag: 'vip' },
      steps: [
        { id: 'mark', type: 'add_tag', tag: 'welcomed' },
        { id: 'note', type: 'update_contact', set: { 'customFields.welcomed': 'yes' } },
      ],
    });
    const vips = [];
    for (const n of [1, 2, 3, 4, 5]) vips.push(await addContact(c, accountId, { email: `vip-${n}@example.com` }));

    await startCampaign(c, accountId, campaign.id, 'spring-sale');
    // Every run of the campaign exists and stands in line before the first VIP is tagged.
    await waitFor(async () => (await runCounts(c, campaign.id)).all === CAMPAIGN_SIZE, {
      what: 'the campaign enrolled',
      timeoutMs: 60_000,
    });

    for (const vip of vips) await c.db.transaction((tx) => addTags(tx, accountId, vip.id, ['vip']));
    // Whichever comes first: the VIPs' runs all completed, or half of the campaign's.
    const first = await waitFor(
      async () => {
        const [vipRuns, campaignRuns] = await Promise.all([runCounts(c, welcome.id), runCounts(c, campaign.id)]);
        if (vipRuns.completed === vips.length) return { vipsDone: true, campaignDone: campaignRuns.completed };
        if (campaignRuns.completed >= CAMPAIGN_SIZE / 2)
          return { vipsDone: false, campaignDone: campaignRuns.completed };
        return null;
      },
      { what: "the VIPs' runs or half of the campaign's", timeoutMs: 50_000 },
    );

    // The VIPs did not wait for the campaign's backlog: most of it is still in line, on its own lane.
    expect(first.vipsDone).toBe(true);
    expect(first.campaignDone).toBeLessThan(CAMPAIGN_SIZE / 2);
    expect(await c.queues.queue(CAMPAIGN_QUEUE).getWaitingCount()).toBeGreaterThan(0);
    expect(await lanesOf(c, campaign.id)).toEqual(['campaign']);
    expect(await lanesOf(c, welcome.id)).toEqual(['interactive']);
  });
});

describe("enqueuing a campaign's runs again", () => {
  let env: TestEnv;
  let accountId: string;

  beforeAll(async () => {
    // This process takes no campaign jobs (CAMPAIGN_CONCURRENCY=0): what is enqueued stays in view.
    env = await createTestEnv({ CAMPAIGN_CONCURRENCY: '0' });
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('sweeps a step and a timer Redis lost back onto the campaign lane, where a campaign worker finishes them', async () => {
    const c = env.container;
    await seedTagged(c, accountId, 'autumn', 3);
    const campaign = await addWorkflow(c, accountId, {
      id: 'autumn',
      name: 'Autumn',
      trigger: { type: 'manual' },
      steps: [
        { id: 'mark', type: 'add_tag', tag: 'autumn-sent' },
        { id: 'pause', type: 'wait', duration: '1h' },
        { id: 'done', type: 'end' },
      ],
    });
    const workers = startWorkers(c);
    let campaignWorkers: RunningWorkers | null = null;
    let scaledApart: Container | null = null;
    try {
      await startCampaign(c, accountId, campaign.id, 'autumn');
      await waitFor(async () => (await runCounts(c, campaign.id)).all === 3, { what: 'the campaign enrolled' });
      const campaignQueue = c.queues.queue(CAMPAIGN_QUEUE);
      const interactiveQueue = c.queues.queue('steps');
      const runs: { id: string }[] = await c.db.query('SELECT id FROM runs WHERE workflow_id = $1 ORDER BY id', [
        campaign.id,
      ]);
      const [lost, overdue, healthy] = runs.map((run) => run.id) as [string, string, string];
      // The batch's runs are started by one `runs.start` job on the campaign lane.
      await waitFor(async () => (await campaignQueue.getWaitingCount()) === 1, { what: 'the runs’ start queued' });
      const [start] = await campaignQueue.getWaiting();
      expect(start!.name).toBe('runs.start');
      expect(start!.data.steps.map((step: { runId: string }) => step.runId).sort()).toEqual(
        [lost, overdue, healthy].sort(),
      );

      // Redis loses it. The healthy run's start had been handed to a step job of its own, which Redis
      // keeps; one run stood still for long; the other is already at its wait, an hour overdue (as
      // after its step ran elsewhere and its timer was lost).
      await campaignQueue.remove(start!.id!);
      await c.queues.add(
        'step.execute',
        { runId: healthy, stepId: 'mark' },
        { jobId: jobIds.step(healthy, 'mark'), lane: 'campaign' },
      );
      await c.db.query(
        `UPDATE runs SET started_at = now() - $2::interval, updated_at = now() - $2::interval WHERE id = ANY($1::uuid[])`,
        [[lost, healthy], `${STALE_RUNNING_MS / 1000 + 60} seconds`],
      );
      await c.db.query(
        `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, output)
         VALUES ($1, 'mark', 'add_tag', 0, 'completed', 1, '{}'),
                ($1, 'pause', 'wait', 1, 'waiting', 1, '{"wait": {"until": "2001-01-01T00:00:00.000Z", "event": null, "calendar": null}}')`,
        [overdue],
      );
      await c.db.query(
        `UPDATE runs SET status = 'waiting', current_step_id = 'pause', wait_until = now() - interval '1 hour' WHERE id = $1`,
        [overdue],
      );

      // The healthy run's job still exists: re-adding it is a no-op on its own queue.
      expect(await sweepRuns(c, { loadVersion: loadWorkflowVersion })).toBe(3);
      expect(await campaignQueue.getJobState(jobIds.step(lost, 'mark'))).toBe('waiting');
      expect(await campaignQueue.getJobState(jobIds.timeout(overdue, 'pause'))).toBe('waiting');
      expect(await campaignQueue.getWaitingCount()).toBe(3);
      for (const id of [jobIds.step(lost, 'mark'), jobIds.timeout(overdue, 'pause'), jobIds.step(healthy, 'mark')])
        expect(await interactiveQueue.getJobState(id)).toBe('unknown');

      // A worker process for the campaign lane alone (scaled apart) picks them up.
      scaledApart = createContainer(
        { ...env.config, CAMPAIGN_CONCURRENCY: 1 },
        createLogger({ level: 'silent', pretty: false }),
      );
      await scaledApart.db.initialize();
      campaignWorkers = startWorkers(scaledApart);
      await waitFor(
        async () => {
          const rows: { id: string; status: string }[] = await c.db.query(
            'SELECT id, status FROM runs WHERE workflow_id = $1',
            [campaign.id],
          );
          const status = new Map(rows.map((row) => [row.id, row.status]));
          return (
            status.get(overdue) === 'completed' && status.get(lost) === 'waiting' && status.get(healthy) === 'waiting'
          );
        },
        { what: 'the swept runs moved on', timeoutMs: 30_000 },
      );
    } finally {
      await campaignWorkers?.close();
      if (scaledApart) await closeContainer(scaledApart);
      await workers.close();
    }
  });
  it('gives a failed campaign run retried by hand its new job on the campaign lane', async () => {
    const c = env.container;
    const workflow = await addWorkflow(c, accountId, {
      id: 'winter',
      name: 'Winter',
      trigger: { type: 'manual' },
      steps: [{ id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/unreachable' }],
    });
    const contact = await addContact(c, accountId, { email: 'winter@example.com' });
    const rows: { id: string }[] = await c.db.query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key, lane, error, finished_at)
       VALUES ($1, $2, 1, $3, 'failed', 'hook', '{"type":"manual","data":{}}', $4, 'campaign', 'refused', now())
       RETURNING id`,
      [accountId, workflow.id, contact.id, `campaign:winter:${contact.id}`],
    );
    const runId = rows[0]!.id;
    await c.db.query(
      `INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, error, finished_at)
       VALUES ($1, 'hook', 'webhook', 0, 'failed', 3, 'refused', now())`,
      [runId],
    );

    const { jobId } = await retryRun(c, { runId, loadVersion: loadWorkflowVersion });
    expect(await c.queues.queue(CAMPAIGN_QUEUE).getJobState(jobId)).toBe('waiting');
    expect(await c.queues.queue('steps').getJobState(jobId)).toBe('unknown');
  });
});
