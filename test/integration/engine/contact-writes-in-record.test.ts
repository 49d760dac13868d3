import type { Job } from 'bullmq';
import { CONTACT_WRITES_IN_FINISH, tagsWriteJson } from '../../../src/contacts/contact-record-writes';
import { NEEDS_EMAIL_OR_PHONE } from '../../../src/contacts/contact-schema';
import { enrolContact } from '../../../src/engine/enrolment';
import { claimStep, type StepClaim } from '../../../src/engine/run-step-store';
import { finishSteps, type StepFinish } from '../../../src/engine/run-step-finish-store';
import { createStepFinishWriter } from '../../../src/engine/step-finish-writer';
import { executeStep } from '../../../src/engine/step-processor';
import { createEngineResources } from '../../../src/roles/engine-resources';
import { addContact, addWorkflow, stepsOf } from '../../helpers/engine';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * add_tag's and update_contact's contact writes made by the statement that records their step
 * (src/contacts/contact-record-writes.ts in the finish of run-step-finish-store.ts): one round trip
 * for both, and the step recorded if and only if the write is made.
 */
describe('contact writes made with the record of their step', () => {
  let env: TestEnv;
  let accountId: string;
  let engine: ReturnType<typeof createEngineResources>;
  let workflows = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
    engine = createEngineResources(env.container);
  });
  afterAll(async () => {
    await engine.close();
    await env.cleanup();
  });

  const query = <T>(sql: string, params: unknown[]) => env.container.db.query(sql, params) as Promise<T[]>;

  /** A run of `steps` for `contactId` (a manual workflow of its own), its first step not yet scheduled. */
  async function runOf(contactId: string, steps: Record<string, unknown>[]): Promise<string> {
    const slug = `in-record-${++workflows}`;
    const workflow = await addWorkflow(env.container, accountId, {
      id: slug,
      name: slug,
      trigger: { type: 'manual' },
      steps,
    });
    const enrolled = await env.container.db.transaction((tx) =>
      enrolContact(tx, {
        accountId,
        workflow: { id: workflow.id, version: 1, allowReentry: false, firstStepId: String(steps[0]!.id) },
        contactId,
        enrolKey: `in-record:${slug}`,
        trigger: { type: 'manual', data: {} },
      }),
    );
    return enrolled!.runId;
  }

  /** Runs the job of (run, step) once, in this process, as a worker would; answers the statements it sent. */
  async function runJob(runId: string, stepId: string): Promise<string[]> {
    const jobId = `in-record-${runId}-${stepId}`;
    await env.container.queues.add('step.execute', { runId, stepId }, { jobId, attempts: 1 });
    const job = (await env.container.queues.queue('steps').getJob(jobId)) as Job;
    const { sent } = await statementsOf(() => executeStep(env.container, engine.resources, { runId, stepId }, job));
    return sent;
  }

  const contactRow = async (id: string) =>
    (
      await query<{
        email: string | null;
        phone: string | null;
        first_name: string | null;
        tags: string[];
        custom_fields: unknown;
      }>('SELECT email, phone, first_name, tags, custom_fields FROM contacts WHERE id = $1', [id])
    )[0]!;
  const tagEvents = (contactId: string) =>
    query<{ data: unknown }>(
      `SELECT data FROM outbox_events WHERE contact_id = $1 AND type = 'contact.tag_added' ORDER BY id`,
      [contactId],
    );
  /** Statements that write the contacts table. */
  const contactWrites = (sent: string[]) => sent.filter((sql) => /UPDATE contacts/.test(sql));

  it("records add_tag's step, its tag and its event in one statement; a tag the contact has is no change", async () => {
    const contact = await addContact(env.container, accountId, { email: 'tagged@example.com' });
    const first = await runOf(contact.id, [
      { id: 'tag', type: 'add_tag', tag: 'VIP' },
      { id: 'done', type: 'end' },
    ]);
    const sent = await runJob(first, 'tag');
    expect(contactWrites(sent)).toHaveLength(1);
    expect(contactWrites(sent)[0]).toMatch(
      /^WITH finishes AS .*UPDATE run_steps .*UPDATE contacts .*INSERT INTO outbox_events/s,
    );
    expect((await stepsOf(env.container, first)).map((step) => [step.step_id, step.status, step.output])).toEqual([
      ['tag', 'completed', { tag: 'vip', added: true }],
      ['done', 'completed', {}],
    ]);
    expect((await contactRow(contact.id)).tags).toEqual(['vip']);
    expect(await tagEvents(contact.id)).toEqual([{ data: { tag: 'vip' } }]);

    const again = await runOf(contact.id, [{ id: 'tag', type: 'add_tag', tag: 'vip' }]);
    await runJob(again, 'tag');
    expect((await stepsOf(env.container, again)).map((step) => step.output)).toEqual([{ tag: 'vip', added: false }]);
    expect((await contactRow(contact.id)).tags).toEqual(['vip']);
    expect(await tagEvents(contact.id)).toHaveLength(1);
  });

  it("records update_contact's step with its fields; a change of email writes itself and keeps its 409", async () => {
    await addContact(env.container, accountId, { email: 'taken@example.com' });
    const contact = await addContact(env.container, accountId, { email: 'grace@example.com', customFields: { a: 1 } });
    const runId = await runOf(contact.id, [
      { id: 'who', type: 'update_contact', set: { firstName: 'Grace', 'customFields.plan': 'gold' } },
      { id: 'mail', type: 'update_contact', set: { email: 'taken@example.com' } },
    ]);
    const sent = await runJob(runId, 'who');
    // `who` with its record; `mail` its own statement (the email), then its failure recorded.
    expect(contactWrites(sent).map((sql) => sql.startsWith('WITH finishes AS'))).toEqual([true, false]);
    expect(await contactRow(contact.id)).toEqual({
      email: 'grace@example.com',
      phone: null,
      first_name: 'Grace',
      tags: [],
      custom_fields: { a: 1, plan: 'gold' },
    });
    const steps = await stepsOf(env.container, runId);
    expect(steps.map((step) => [step.step_id, step.status])).toEqual([
      ['who', 'completed'],
      ['mail', 'failed'],
    ]);
    expect(steps[0]!.output).toEqual({ updated: { firstName: 'Grace', 'customFields.plan': 'gold' } });
    expect(steps[1]!.error).toBe('A contact with this email already exists');
  });

  it("refuses the write the contact cannot take and fails the step with the action's own reason, writing nothing", async () => {
    const contact = await addContact(env.container, accountId, { phone: '+14155550123', firstName: 'Ada' });
    const runId = await runOf(contact.id, [
      { id: 'clear', type: 'update_contact', set: { phone: null, firstName: 'X' } },
    ]);
    const sent = await runJob(runId, 'clear');
    expect(contactWrites(sent)[0]).toMatch(/^WITH finishes AS/);
    const [step] = await stepsOf(env.container, runId);
    expect([step!.status, step!.error]).toEqual(['failed', NEEDS_EMAIL_OR_PHONE]);
    expect(await contactRow(contact.id)).toMatchObject({ phone: '+14155550123', first_name: 'Ada' });
    const [run] = await query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [runId]);
    expect(run!.status).toBe('failed');
  });

  describe('in the finish statement', () => {
    const claimedRun = async (contactId: string, tag: string): Promise<{ runId: string; claim: StepClaim }> => {
      const runId = await runOf(contactId, [{ id: 'tag', type: 'add_tag', tag }]);
      const claim = (await claimStep(env.container.db.manager, { runId, stepId: 'tag', type: 'add_tag' }))!;
      return { runId, claim };
    };
    const finishOf = (runId: string, claim: StepClaim, contactId: string, tag: string): StepFinish => ({
      runId,
      stepId: 'tag',
      claimToken: claim.claimToken,
      status: 'completed',
      output: { tag },
      nextStepId: null,
      nextType: null,
      contactWrite: { accountId, contactId, write: tagsWriteJson([tag], 'interactive') },
    });

    it('writes nothing to the contact when the finish is refused (its claim was taken over)', async () => {
      const contact = await addContact(env.container, accountId, { email: 'stale@example.com' });
      const { runId, claim } = await claimedRun(contact.id, 'late');
      // Another execution claimed the step since: the first claim is stale.
      await claimStep(env.container.db.manager, { runId, stepId: 'tag', type: 'add_tag' });
      const [result] = await finishSteps(
        env.container.db.manager,
        [finishOf(runId, claim, contact.id, 'late')],
        CONTACT_WRITES_IN_FINISH,
      );
      expect(result).toEqual({ finished: false });
      expect((await contactRow(contact.id)).tags).toEqual([]);
      expect(await tagEvents(contact.id)).toEqual([]);
    });

    it("puts two runs' finishes that write one contact in two statements, so that neither write is lost", async () => {
      const contact = await addContact(env.container, accountId, { email: 'twice@example.com' });
      const a = await claimedRun(contact.id, 'a');
      const b = await claimedRun(contact.id, 'b');
      const other = await addContact(env.container, accountId, { email: 'other@example.com' });
      const c = await claimedRun(other.id, 'c');
      const writer = createStepFinishWriter(env.container.db, CONTACT_WRITES_IN_FINISH);
      const { result, sent } = await statementsOf(() =>
        Promise.all([
          writer.submit(finishOf(a.runId, a.claim, contact.id, 'a')),
          writer.submit(finishOf(b.runId, b.claim, contact.id, 'b')),
          writer.submit(finishOf(c.runId, c.claim, other.id, 'c')),
        ]),
      );
      expect(sent.filter((sql) => sql.startsWith('WITH finishes AS'))).toHaveLength(2);
      expect(result.map((written) => written.finished)).toEqual([true, true, true]);
      expect(result.map((written) => written.finished && written.contact)).toEqual([
        expect.objectContaining({ tags: ['a'] }),
        expect.objectContaining({ tags: ['a', 'b'] }),
        expect.objectContaining({ tags: ['c'] }),
      ]);
      expect((await contactRow(contact.id)).tags).toEqual(['a', 'b']);
      expect((await tagEvents(contact.id)).map((event) => event.data)).toEqual([{ tag: 'a' }, { tag: 'b' }]);
    });
  });
});
