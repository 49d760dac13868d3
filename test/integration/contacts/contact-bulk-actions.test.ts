import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { decodeHref, signedInAgent } from '../console/console-client';

jest.setTimeout(90_000);

/** The sentences of a confirm page's "Before you start" list, as a reader sees them. */
const previewOf = (html: string): string[] =>
  [
    ...(/<ul>([\s\S]*?)<\/ul>/.exec(html.slice(html.indexOf('Before you start')))?.[1] ?? '').matchAll(
      /<li>(.*?)<\/li>/g,
    ),
  ].map((match) => decodeHref(match[1]!));

describe('bulk actions on the contacts of a console search', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers?.close();
    await env?.cleanup();
  });

  const tagsOf = async (email: string): Promise<string[]> =>
    ((await env.container.db.query('SELECT tags FROM contacts WHERE email = $1', [email])) as { tags: string[] }[])[0]!
      .tags;

  /** Stages the action from the search, and returns the confirm page's address and text. */
  async function stage(agent: Awaited<ReturnType<typeof signedInAgent>>, form: Record<string, string>) {
    const staged = await agent.agent
      .post('/app/contacts/bulk')
      .type('form')
      .send({ _csrf: agent.csrf, ...form })
      .expect(303);
    const href = staged.headers.location as string;
    expect(href).toMatch(/^\/app\/contacts\/bulk\/[0-9a-f-]{36}$/);
    return { href, page: (await agent.agent.get(href).expect(200)).text };
  }

  async function startAndFinish(agent: Awaited<ReturnType<typeof signedInAgent>>, href: string) {
    await agent.agent.post(`${href}/start`).type('form').send({ _csrf: agent.csrf }).expect(303);
    return waitFor(
      async () => {
        const status = (await agent.agent.get(`${href}/status`).expect(200)).body as { done: boolean; percent: number };
        return status.done ? status : null;
      },
      { what: 'the bulk action done' },
    );
  }

  it('adds a tag to every contact of a search, saying first which workflows it starts, and starts them', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'vip-welcome',
      name: 'VIP welcome',
      trigger: { type: 'contact.tag_added', tag: 'vip' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'welcomed' }],
    });
    for (const [email, tags] of [
      ['b1@example.com', ['buyer']],
      ['b2@example.com', ['buyer']],
      ['b3@example.com', ['buyer', 'vip']],
      ['other@example.com', []],
    ] as const)
      await addContact(env.container, accountId, { email, tags: [...tags] });
    await waitFor(async () => (await runsOf(env.container, workflow.id)).length === 1, { what: 'the first VIP run' });

    const agent = await signedInAgent(env.container, apiKey);
    const form = (await agent.agent.get('/app/contacts/bulk?tag=buyer').expect(200)).text;
    expect(form).toContain('the tag &#x27;buyer&#x27;');
    const { href, page } = await stage(agent, { searchTag: 'buyer', action: 'add_tag', tag: 'VIP' });
    expect(previewOf(page)).toEqual([
      '3 contacts match this search.',
      "Adding the tag 'vip' to 2 contacts enrols them in 'VIP welcome' (active).",
      '1 already have it and are left as they are.',
    ]);
    expect(page).toContain('Apply to 3 contacts');

    expect(await startAndFinish(agent, href)).toMatchObject({
      status: 'completed',
      percent: 100,
      processed: 3,
      updated: 2,
      skipped: 1,
      failed: 0,
    });
    expect((await tagsOf('b1@example.com')).slice(0, 2)).toEqual(['buyer', 'vip']); // then the workflow's own tag
    expect(await tagsOf('other@example.com')).toEqual([]);
    await waitFor(async () => (await runsOf(env.container, workflow.id)).length === 3, { what: 'a run per new VIP' });
    const progress = (await agent.agent.get(href).expect(200)).text;
    expect(progress).toContain('aria-valuenow="100"');
    expect(progress).toContain('Done: 2 contacts tagged, 1 already had the tag, 0 failed.');
  });

  it('removes a tag from every contact of a search', async () => {
    for (const email of ['r1@example.com', 'r2@example.com'])
      await addContact(env.container, accountId, { email, firstName: 'Remove', tags: ['stale', 'keep'] });
    await addContact(env.container, accountId, { email: 'r3@example.com', firstName: 'Remove', tags: ['keep'] });
    const agent = await signedInAgent(env.container, apiKey);
    const { href, page } = await stage(agent, { q: 'remove', action: 'remove_tag', tag: 'stale' });
    expect(previewOf(page)).toEqual([
      "3 contacts match this search; 2 of them have the tag 'stale' and will lose it.",
      'Removing a tag starts no workflow.',
    ]);
    expect(await startAndFinish(agent, href)).toMatchObject({ processed: 3, updated: 2, skipped: 1 });
    for (const email of ['r1@example.com', 'r2@example.com', 'r3@example.com'])
      expect(await tagsOf(email)).toEqual(['keep']);
  });

  it('enrols every contact of a search through a campaign, leaving out those the workflow does not let re-enter', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'nurture',
      name: 'Nurture',
      trigger: { type: 'manual' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'nurtured' }],
    });
    const contacts = [];
    for (let i = 0; i < 4; i++)
      contacts.push(await addContact(env.container, accountId, { email: `n${i}@example.com`, tags: ['nurture-me'] }));
    await env.container.db.query('INSERT INTO workflow_enrolments (workflow_id, contact_id) VALUES ($1, $2)', [
      workflow.id,
      contacts[0]!.id,
    ]);
    const agent = await signedInAgent(env.container, apiKey);
    const form = (await agent.agent.get('/app/contacts/bulk?tag=nurture-me').expect(200)).text;
    expect(form).toContain(`<option value="${workflow.id}">Nurture</option>`);
    const { href, page } = await stage(agent, { searchTag: 'nurture-me', action: 'enrol', workflowId: workflow.id });
    expect(previewOf(page)).toEqual([
      "3 contacts will be enrolled in 'Nurture'; 1 is already in it and not allowed to re-enter.",
    ]);
    expect(await startAndFinish(agent, href)).toMatchObject({ processed: 4, updated: 3, skipped: 1 });
    const runs = await waitFor(
      async () => {
        const all = await runsOf(env.container, workflow.id);
        return all.length === 3 && all.every((run) => run.status === 'completed') ? all : null;
      },
      { what: 'three completed campaign runs' },
    );
    expect(runs.map((run) => run.contact_id).sort()).toEqual(
      contacts
        .slice(1)
        .map((contact) => contact.id)
        .sort(),
    );
  });

  it('refuses an action without its tag or workflow, a draft workflow, and a search matching nobody', async () => {
    const draft = await addWorkflow(env.container, accountId, {
      id: 'draft-one',
      name: 'Draft one',
      status: 'draft',
      trigger: { type: 'manual' },
      steps: [{ id: 'end', type: 'end' }],
    });
    const agent = await signedInAgent(env.container, apiKey);
    const post = (form: Record<string, string>) =>
      agent.agent
        .post('/app/contacts/bulk')
        .type('form')
        .send({ _csrf: agent.csrf, ...form })
        .expect(400);
    expect((await post({ action: 'add_tag', tag: '' })).text).toContain('<code>tag</code>');
    expect((await post({ action: 'enrol' })).text).toContain('<code>workflowId</code>');
    expect((await post({ action: 'enrol', workflowId: draft.id })).text).toContain('is a draft');
    expect((await post({ q: 'nobody-at-all', action: 'add_tag', tag: 'x' })).text).toContain('<code>search</code>');
    await agent.agent.post('/app/contacts/bulk').type('form').send({ action: 'add_tag', tag: 'x' }).expect(403);
  });
});
