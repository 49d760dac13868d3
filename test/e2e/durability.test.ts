import { sleep } from '../../src/lib/sleep';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { startCaptureServer, type CaptureServer } from '../helpers/capture-server';
import { startRecoveringWorker, type LinkflowProcess } from '../helpers/linkflow-process';
import { addContact, addWorkflow, runsOf } from '../helpers/engine';

jest.setTimeout(180_000);

describe('durability across worker restarts and crashes', () => {
  let env: TestEnv;
  let accountId: string;
  const processes: LinkflowProcess[] = [];
  const startWorker = () => startRecoveringWorker(env.env, processes, { WORKER_CONCURRENCY: '10' });

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await env.cleanup();
  });

  it('resumes a 2 s wait after the worker process was restarted in between', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'patient',
      name: 'Patient',
      trigger: { type: 'contact.tag_added', tag: 'patient' },
      steps: [
        { id: 'pause', type: 'wait', duration: '2s' },
        { id: 'after', type: 'add_tag', tag: 'resumed' },
      ],
    });
    const first = await startWorker();
    await addContact(env.container, accountId, { email: 'patient@example.com', tags: ['patient'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'waiting', {
      what: 'run waiting',
    });
    expect(await first.stop('SIGTERM')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the timer comes due while no worker runs

    await startWorker();
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', {
      timeoutMs: 20_000,
      what: 'run completed',
    });
  });

  describe('50 runs calling a webhook', () => {
    let sink: CaptureServer;
    /** From which call on the sink holds its answers, and until when (the SIGKILL test's kill). */
    let hold: { from: number; until: Promise<void> } | null = null;
    beforeEach(async () => {
      hold = null;
      sink = await startCaptureServer((_request, index) => ({
        status: 200,
        body: { ok: true },
        delayMs: 250,
        ...(hold && index >= hold.from && { until: hold.until }),
      }));
    });
    afterEach(async () => sink.close());

    async function launch(slug: string) {
      const workflow = await addWorkflow(env.container, accountId, {
        id: slug,
        name: slug,
        trigger: { type: 'contact.tag_added', tag: slug },
        // The webhook runs inline, in the job of the step before it: a crash must not lose or repeat it either.
        steps: [
          { id: 'start', type: 'add_tag', tag: `${slug}-started` },
          { id: 'call', type: 'webhook', url: `${sink.url}/hook`, body: { run: '{{run.id}}' } },
          { id: 'mark', type: 'add_tag', tag: `${slug}-done` },
        ],
      });
      for (let i = 0; i < 50; i++)
        await addContact(env.container, accountId, { email: `${slug}${i}@example.com`, tags: [slug] });
      return workflow;
    }

    const keysOf = (requests: CaptureServer['requests']) => requests.map((r) => String(r.headers['idempotency-key']));
    const completedCalls = async (workflowId: string): Promise<Set<string>> => {
      const rows: { run_id: string }[] = await env.container.db.query(
        `SELECT s.run_id FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE r.workflow_id = $1 AND s.step_id = 'call' AND s.status = 'completed'`,
        [workflowId],
      );
      return new Set(rows.map((row) => `${row.run_id}:call`));
    };

    it('after SIGKILL, completes every run; repeats only in-flight steps, always with the same key', async () => {
      // From the 11th call on the sink answers only after the kill: calls are in flight when it comes,
      // however fast the victim went through the runs while the contacts were being added.
      let killed!: () => void;
      hold = { from: 10, until: new Promise<void>((resolve) => (killed = resolve)) };
      const victim = await startWorker();
      const workflow = await launch('killed');
      await waitFor(() => sink.requests.length >= 15, { timeoutMs: 30_000, what: '15 webhook calls' });
      await victim.stop('SIGKILL');
      hold = null;
      killed();
      // A request the victim wrote before it died may reach the sink's 'end' after the exit event:
      // let the dead process's sockets drain (no one else is sending yet) before taking the snapshot.
      await sleep(500);
      const seenBeforeKill = new Set(keysOf(sink.requests));
      const completedAtKill = await completedCalls(workflow.id);
      const inFlightAtKill = [...seenBeforeKill].filter((key) => !completedAtKill.has(key));
      expect(inFlightAtKill.length).toBeGreaterThan(0);

      await startWorker();
      await waitFor(
        async () => (await runsOf(env.container, workflow.id)).filter((r) => r.status === 'completed').length === 50,
        {
          timeoutMs: 90_000,
          what: '50 completed runs',
        },
      );

      const runs = await runsOf(env.container, workflow.id);
      const expectedKeys = new Set(runs.map((run) => `${run.id}:call`));
      const keys = keysOf(sink.requests);
      expect(new Set(keys)).toEqual(expectedKeys);
      for (const request of sink.requests) {
        expect(request.headers['idempotency-key']).toBe(`${JSON.parse(request.body).run}:call`);
      }
      const counts = new Map<string, number>();
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      const repeated = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
      for (const key of repeated) {
        expect(inFlightAtKill).toContain(key);
      }
      for (const key of completedAtKill) expect(counts.get(key)).toBe(1);
    });

    it('after SIGTERM, completes every run with no repeat at all', async () => {
      const first = await startWorker();
      const workflow = await launch('stopped');
      await waitFor(() => sink.requests.length >= 15, { timeoutMs: 30_000, what: '15 webhook calls' });
      expect(await first.stop('SIGTERM')).toBe(0);

      await startWorker();
      await waitFor(
        async () => (await runsOf(env.container, workflow.id)).filter((r) => r.status === 'completed').length === 50,
        {
          timeoutMs: 90_000,
          what: '50 completed runs',
        },
      );
      const keys = keysOf(sink.requests);
      expect(keys).toHaveLength(50);
      expect(new Set(keys).size).toBe(50);
    });
  });
});
