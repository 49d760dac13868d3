import { generateOneTimeLinkAction } from '../../../src/actions/generate-one-time-link';
import { generateOneTimeLinkConfigSchema } from '../../../src/definition/steps/generate-one-time-link';
import { enrolContact } from '../../../src/engine/enrolment';
import { NonRetryableError } from '../../../src/lib/step-errors';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { addContact, addWorkflow } from '../../helpers/engine';
import { actionContext } from '../../unit/actions/action-context';
import { bookingApi, listen, tokenOf, type BookingApi } from './booking-helpers';

describe('the generate_one_time_link action', () => {
  let env: TestEnv;
  let http: Awaited<ReturnType<typeof listen>>;
  let api: BookingApi;
  let accountId: string;
  let calendar: { id: string; slug: string };

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_URL: 'https://links.example.test/' });
    const account = await createTestAccount(env.container);
    accountId = account.accountId;
    http = await listen(env.container);
    api = bookingApi(http.server, account.apiKey);
    calendar = await api.createCalendar({ slug: 'demo-call' });
  });
  afterAll(async () => {
    await http.close();
    await env.cleanup();
  });

  /** A real run of a real workflow, so that (run, step) is what the step worker would pass. */
  async function newRun(email: string): Promise<{ runId: string; contactId: string }> {
    const contact = await addContact(env.container, accountId, { email });
    const workflow = await addWorkflow(env.container, accountId, {
      id: `mint-${contact.id.slice(0, 8)}`,
      name: 'Mint',
      trigger: { type: 'manual' },
      steps: [{ id: 'mint', type: 'generate_one_time_link', calendar: 'demo-call' }],
    });
    const run = await env.container.db.transaction((tx) =>
      enrolContact(tx, {
        accountId,
        workflow: { id: workflow.id, version: 1, allowReentry: true, firstStepId: 'mint' },
        contactId: contact.id,
        enrolKey: `test:${contact.id}`,
        trigger: { type: 'manual', data: {} },
      }),
    );
    return { runId: run!.runId, contactId: contact.id };
  }

  const execute = (options: { runId: string; contactId: string; config: Record<string, unknown>; stepId?: string }) => {
    const ctx = actionContext({
      config: generateOneTimeLinkConfigSchema.parse(options.config),
      deps: { db: env.container.db, config: env.config },
      accountId,
      contactId: options.contactId,
    });
    return generateOneTimeLinkAction.execute({
      ...ctx,
      runId: options.runId,
      step: { ...ctx.step, id: options.stepId ?? 'mint' },
    });
  };

  it('returns the same link and URL when the step is retried, and stores no token', async () => {
    const { runId, contactId } = await newRun('retry@example.com');
    const first = await execute({ runId, contactId, config: { calendar: 'demo-call' } });
    const again = await execute({ runId, contactId, config: { calendar: '{{lower "DEMO-CALL"}}' } });
    expect(first.kind).toBe('completed');
    const output = (first as { output: { linkId: string; url: string; expiresAt: string } }).output;
    expect((again as { output: unknown }).output).toEqual(output);
    expect(output.url).toMatch(/^https:\/\/links\.example\.test\/book\/[A-Za-z0-9_-]{43}$/);
    const expiresIn = new Date(output.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 24 * 3600_000);

    const rows: Record<string, unknown>[] = await env.container.db.query(
      'SELECT * FROM one_time_links WHERE run_id = $1',
      [runId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: output.linkId,
      contact_id: contactId,
      calendar_id: calendar.id,
      step_id: 'mint',
      max_uses: 1,
    });
    const token = tokenOf(output.url);
    expect(JSON.stringify(rows[0])).not.toContain(token);
    expect(await api.link(output.linkId)).toMatchObject({ url: output.url, status: 'active' });

    // Another step of the same run is another link.
    const other = await execute({ runId, contactId, config: { calendar: calendar.id }, stepId: 'mint2' });
    expect((other as { output: { linkId: string } }).output.linkId).not.toBe(output.linkId);
  });

  it('saves the URL on the contact and revokes the earlier links to the same calendar', async () => {
    const { runId, contactId } = await newRun('saver@example.com');
    const earlier = await api.mintLink(calendar.id, { contactId });
    const otherCalendar = await api.createCalendar({ slug: 'other-calendar' });
    const elsewhere = await api.mintLink(otherCalendar.id, { contactId });
    const outcome = await execute({
      runId,
      contactId,
      config: { calendar: 'demo-call', saveTo: 'bookingLink', revokePrevious: true, maxUses: 2, expiresIn: '2d' },
    });
    const output = (outcome as { output: { linkId: string; url: string } }).output;
    const stored: { custom_fields: Record<string, unknown> }[] = await env.container.db.query(
      'SELECT custom_fields FROM contacts WHERE id = $1',
      [contactId],
    );
    expect(stored[0]!.custom_fields).toEqual({ bookingLink: output.url });
    expect(await api.link(earlier.id)).toMatchObject({ status: 'revoked' });
    expect(await api.link(elsewhere.id)).toMatchObject({ status: 'active' });
    expect(await api.link(output.linkId)).toMatchObject({ status: 'active', maxUses: 2 });
    // A retry after the revocation keeps the link it minted.
    await execute({ runId, contactId, config: { calendar: 'demo-call', saveTo: 'bookingLink', revokePrevious: true } });
    expect(await api.link(output.linkId)).toMatchObject({ status: 'active' });
  });

  it('fails the step for good when the calendar does not exist', async () => {
    const { runId, contactId } = await newRun('nocal@example.com');
    await expect(execute({ runId, contactId, config: { calendar: 'no-such-calendar' } })).rejects.toBeInstanceOf(
      NonRetryableError,
    );
    const foreign = await createTestAccount(env.container);
    const foreignApi = bookingApi(http.server, foreign.apiKey);
    const theirs = await foreignApi.createCalendar({ slug: 'theirs' });
    await expect(execute({ runId, contactId, config: { calendar: theirs.id } })).rejects.toBeInstanceOf(
      NonRetryableError,
    );
  });

  it('rejects bad configs when the workflow is loaded', () => {
    expect(generateOneTimeLinkConfigSchema.safeParse({ calendar: 'x', expiresIn: 'soon' }).success).toBe(false);
    expect(generateOneTimeLinkConfigSchema.safeParse({ calendar: 'x', maxUses: 0 }).success).toBe(false);
    expect(generateOneTimeLinkConfigSchema.safeParse({ calendar: 'x', colour: 'red' }).success).toBe(false);
    expect(generateOneTimeLinkConfigSchema.safeParse({}).success).toBe(false);
  });
});
