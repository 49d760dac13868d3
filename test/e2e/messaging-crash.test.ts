import { randomBytes } from 'node:crypto';
import { addContact, addWorkflow, runsOf } from '../helpers/engine';
import { startLinkflowProcess, type LinkflowProcess } from '../helpers/linkflow-process';
import { startSmtpSink, type ReceivedEmail, type SmtpSink } from '../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

jest.setTimeout(180_000);

/** Worker processes that notice a dead peer's jobs within a few seconds. */
const FAST_RECOVERY = { JOB_LOCK_MS: '3000', STALLED_CHECK_MS: '1000' };
const PUBLIC_URL = 'https://crash.example.test';

describe('a worker killed while sending an email', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let accountId: string;
  const processes: LinkflowProcess[] = [];
  const startWorker = async () => {
    const worker = await startLinkflowProcess({
      role: 'worker',
      env: {
        ...env.env,
        ...FAST_RECOVERY,
        SMTP_URL: sink.url,
        PUBLIC_URL,
        API_KEY: `lf_${randomBytes(16).toString('hex')}`,
      },
    });
    processes.push(worker);
    return worker;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await sink.close();
    await env.cleanup();
  });

  async function launch(slug: string, email: string) {
    const workflow = await addWorkflow(env.container, accountId, {
      id: slug,
      name: slug,
      trigger: { type: 'contact.tag_added', tag: slug },
      steps: [
        {
          id: 'mail',
          type: 'send_email',
          subject: 'Hello {{contact.first_name}}',
          html: '<p>Once, {{contact.first_name}}</p>',
        },
        { id: 'after', type: 'add_tag', tag: `${slug}-done` },
      ],
    });
    await addContact(env.container, accountId, { email, firstName: 'Ada', tags: [slug] });
    return workflow;
  }

  async function settled(workflowId: string) {
    const run = await waitFor(
      async () => (await runsOf(env.container, workflowId)).find((r) => r.status === 'completed'),
      {
        timeoutMs: 60_000,
        what: 'the run completed after the restart',
      },
    );
    const rows: { status: string; provider_message_id: string }[] = await env.container.db.query(
      `SELECT status, provider_message_id FROM messages WHERE run_id = $1 AND step_id = 'mail'`,
      [run.id],
    );
    return { run, rows, messageId: `<${run.id}.mail@crash.example.test>` };
  }

  const to = (address: string) => (email: ReceivedEmail) => email.to[0] === address;

  it('holds exactly one accepted message when killed before the server answered', async () => {
    const victim = await startWorker();
    let killed = false;
    sink.onMessage = async (email) => {
      if (email.to[0] !== 'held@example.com' || killed) return undefined;
      killed = true;
      victim.child.kill('SIGKILL'); // the data arrived; the sender dies before our 250
      await victim.exited;
      return { code: 421, message: '4.3.2 Closing' }; // reaches no one
    };
    const workflow = await launch('held', 'held@example.com');
    await waitFor(() => killed, { timeoutMs: 30_000, what: 'the first transmission' });

    const survivor = await startWorker();
    const { rows, messageId } = await settled(workflow.id);
    expect(await survivor.stop('SIGTERM')).toBe(0);
    expect(sink.received.filter(to('held@example.com')).map((email) => email.messageId)).toEqual([
      messageId,
      messageId,
    ]);
    expect(sink.accepted.filter(to('held@example.com')).map((email) => email.messageId)).toEqual([messageId]);
    expect(rows).toEqual([{ status: 'sent', provider_message_id: messageId }]);
  });

  it('repeats only with the same Message-ID when killed right after the server accepted', async () => {
    sink.onMessage = () => undefined;
    const victim = await startWorker();
    let killed = false;
    sink.onAccepted = (email) => {
      if (email.to[0] !== 'accepted@example.com' || killed) return;
      killed = true;
      victim.child.kill('SIGKILL'); // between the provider's acceptance and our record of it
    };
    const workflow = await launch('accepted', 'accepted@example.com');
    await waitFor(() => killed, { timeoutMs: 30_000, what: 'the first acceptance' });
    await victim.exited;

    const survivor = await startWorker();
    const { rows, messageId } = await settled(workflow.id);
    expect(await survivor.stop('SIGTERM')).toBe(0);
    const copies = sink.accepted.filter(to('accepted@example.com'));
    // At least once at the provider boundary: a second copy is possible (usual here, as the kill
    // lands before our record), and a receiver deduplicating on Message-ID holds exactly one.
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.length).toBeLessThanOrEqual(2);
    expect(new Set(copies.map((email) => email.messageId))).toEqual(new Set([messageId]));
    expect(new Set(copies.map((email) => email.parsed!.html))).toEqual(new Set([copies[0]!.parsed!.html]));
    expect(rows).toEqual([{ status: 'sent', provider_message_id: messageId }]);
  });
});
