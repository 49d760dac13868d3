import { appendEvents, type OutboxEventInput } from '../../../src/events/outbox';
import type { OutboxEventRow } from '../../../src/events/outbox-store';
import { processEventBatch } from '../../../src/triggers/event-processor';
import { updateWorkflow } from '../../../src/workflows/workflow-repository';
import { addContact, addWorkflow } from '../../helpers/engine';
import { recordStatements } from '../../helpers/query-plans';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The active workflows an event batch enrols in, remembered by the process
 * (src/triggers/active-workflow-cache.ts): a batch whose keys are remembered enrols in one statement
 * that checks the lists itself, and a workflow activated, changed or paused since is still seen by
 * the very next batch, as it was when every batch asked.
 */
describe('the remembered active workflows of an event batch', () => {
  let env: TestEnv;
  let accountId: string;
  let emails = 0;
  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => env.cleanup());

  const db = () => env.container.db;
  const maxEventId = async () =>
    ((await db().query('SELECT coalesce(max(id), 0) AS id FROM outbox_events')) as { id: string }[])[0]!.id;

  /** One event of each type for a new contact each, appended in one transaction, as the relay hands them over. */
  async function batchOf(
    types: (string | { type: string; data: Record<string, unknown> })[],
  ): Promise<{ batch: OutboxEventRow[]; contactIds: string[] }> {
    const contactIds: string[] = [];
    const events: OutboxEventInput[] = [];
    for (const type of types) {
      const contact = await addContact(env.container, accountId, { email: `remembered${emails++}@example.com` });
      contactIds.push(contact.id);
      events.push({ accountId, contactId: contact.id, ...(typeof type === 'string' ? { type } : type) });
    }
    const before = await maxEventId();
    await db().transaction((tx) => appendEvents(tx, events));
    const batch = (await db().query(
      'SELECT id, account_id, type, contact_id, data, lane FROM outbox_events WHERE id > $1 ORDER BY id',
      [before],
    )) as OutboxEventRow[];
    return { batch, contactIds };
  }

  /** Processes the batch; the statements it sent (parsed versions are cached: their reads not counted). */
  async function processed(batch: OutboxEventRow[]): Promise<string[]> {
    const recorder = recordStatements(db());
    try {
      await processEventBatch(env.container, batch);
    } finally {
      recorder.stop();
    }
    return recorder.statements
      .map((statement) => statement.sql)
      .filter((sql) => !sql.includes('FROM workflow_versions'));
  }
  const lookups = (sqls: string[]) => sqls.filter((sql) => /^SELECT \(k\.n - 1\)::int AS n, w\.id/.test(sql.trim()));
  const enrolments = (sqls: string[]) => sqls.filter((sql) => sql.includes('INSERT INTO workflow_enrolments'));

  /** Workflow slugs each contact has a run of, by contact. */
  async function runsByContact(contactIds: string[]): Promise<string[][]> {
    const rows = (await db().query(
      `SELECT r.contact_id, w.slug, r.workflow_version FROM runs r JOIN workflows w ON w.id = r.workflow_id
        WHERE r.contact_id = ANY ($1::uuid[]) ORDER BY w.slug`,
      [contactIds],
    )) as { contact_id: string; slug: string; workflow_version: number }[];
    return contactIds.map((id) =>
      rows
        .filter((row) => row.contact_id === id)
        .map((row) => `${row.slug}@${row.workflow_version}`)
        .sort(),
    );
  }

  const greeter = (slug: string, event: string, tag = 'greeted') => ({
    id: slug,
    name: slug,
    trigger: { type: 'event', event },
    steps: [{ id: 'greet', type: 'add_tag', tag }],
  });

  it('enrols a batch of remembered keys in one statement, without asking for the workflows', async () => {
    await addWorkflow(env.container, accountId, greeter('hello', 'hello'));
    const first = await batchOf(['hello', 'hello']);
    const asked = await processed(first.batch);
    expect(lookups(asked)).toHaveLength(1);
    expect(enrolments(asked)).toHaveLength(1);

    const second = await batchOf(['hello', 'hello', 'hello']);
    const remembered = await processed(second.batch);
    // The enrolment and the waiting-runs lookup: no lookup of the workflows.
    expect(lookups(remembered)).toHaveLength(0);
    expect(enrolments(remembered)).toHaveLength(1);
    expect(remembered).toHaveLength(2);
    expect(await runsByContact(second.contactIds)).toEqual([['hello@1'], ['hello@1'], ['hello@1']]);
  });

  it('sees a workflow activated since, a new version and a paused one in the next batch', async () => {
    const kept = await addWorkflow(env.container, accountId, greeter('kept', 'signed'));
    const paused = await addWorkflow(env.container, accountId, greeter('paused', 'signed'));
    await processed((await batchOf(['signed'])).batch);

    // Since remembered: a third workflow of the trigger, a new version of one, the other paused.
    await addWorkflow(env.container, accountId, greeter('added', 'signed'));
    await db().transaction((tx) => updateWorkflow(tx, accountId, kept.id, greeter('kept', 'signed', 'kept-v2')));
    await db().transaction((tx) =>
      updateWorkflow(tx, accountId, paused.id, { ...greeter('paused', 'signed'), status: 'draft' }),
    );

    const next = await batchOf(['signed', 'signed']);
    const sqls = await processed(next.batch);
    // The guarded enrolment found the lists out of date and wrote nothing; then the lookup and the enrolment.
    expect(enrolments(sqls)).toHaveLength(2);
    expect(lookups(sqls)).toHaveLength(1);
    expect(await runsByContact(next.contactIds)).toEqual([
      ['added@1', 'kept@2'],
      ['added@1', 'kept@2'],
    ]);
    // Exactly one run per (contact, workflow): the statement that found the lists out of date wrote nothing.
    const counts = (await db().query(
      'SELECT count(*)::int AS n FROM runs WHERE contact_id = ANY ($1::uuid[]) GROUP BY contact_id, workflow_id',
      [next.contactIds],
    )) as { n: number }[];
    expect(counts.map((row) => row.n)).toEqual([1, 1, 1, 1]);
    // And the lists are remembered again: the batch after goes in one statement.
    const after = await batchOf(['signed']);
    const again = await processed(after.batch);
    expect(lookups(again)).toHaveLength(0);
    expect(await runsByContact(after.contactIds)).toEqual([['added@1', 'kept@2']]);
  });

  it('asks again when the remembered lists start nothing, and checks every key of a batch', async () => {
    // Remembered: no workflow of (account, contact.tag_added) yet, `loud` among the custom events'.
    await addWorkflow(env.container, accountId, greeter('loud', 'loud'));
    const vip = { type: 'contact.tag_added', data: { tag: 'vip' } };
    await processed((await batchOf([vip, 'loud'])).batch);

    // A workflow of a tag activated since: a batch of that tag alone starts nothing from memory, so it asks.
    const tagged = (slug: string) => ({
      id: slug,
      name: slug,
      trigger: { type: 'contact.tag_added', tag: 'vip' },
      steps: [{ id: 'greet', type: 'add_tag', tag: 'greeted' }],
    });
    await addWorkflow(env.container, accountId, tagged('tagged'));
    const alone = await batchOf([vip]);
    expect(lookups(await processed(alone.batch))).toHaveLength(1);
    expect(await runsByContact(alone.contactIds)).toEqual([['tagged@1']]);

    // Another since: from memory a batch of both keys starts `loud` only, and its enrolment's check of
    // every key of the batch finds the tag's list out of date.
    await addWorkflow(env.container, accountId, tagged('tagged-too'));
    const both = await batchOf([vip, 'loud']);
    const sqls = await processed(both.batch);
    expect(lookups(sqls)).toHaveLength(1);
    expect(enrolments(sqls)).toHaveLength(2);
    expect(await runsByContact(both.contactIds)).toEqual([['tagged-too@1', 'tagged@1'].sort(), ['loud@1']]);
  });
});
