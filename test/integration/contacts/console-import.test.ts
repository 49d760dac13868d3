import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { decodeHref, signedInAgent } from '../console/console-client';

jest.setTimeout(60_000);

const CSV = 'email,First Name,Company\nann@example.com,Ann,Acme\nbob@example.com,Bob,Initech\nbad-address,Bad,\n';

describe('importing contacts in the console', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
    await addWorkflow(env.container, accountId, {
      id: 'webinar-follow-up',
      name: 'Webinar follow-up',
      trigger: { type: 'contact.tag_added', tag: 'webinar' },
      steps: [{ id: 'end', type: 'end' }],
    });
  });
  afterAll(async () => {
    await workers?.close();
    await env?.cleanup();
  });

  const upload = (agent: Awaited<ReturnType<typeof signedInAgent>>, csrf: string | null, csv = CSV) => {
    let req = agent.agent.post('/app/contacts/import');
    if (csrf !== null) req = req.field('_csrf', csrf);
    return req.field('tags', 'webinar').attach('file', Buffer.from(csv), 'people.csv');
  };

  it('stages the upload, asks to confirm with the columns and the workflows the tags start, then imports', async () => {
    const agent = await signedInAgent(env.container, apiKey);
    expect((await agent.agent.get('/app/contacts').expect(200)).text).toContain('href="/app/contacts/import"');
    const staged = await upload(agent, agent.csrf).expect(303);
    const href = staged.headers.location as string;
    const id = href.split('/').pop()!;

    const confirm = decodeHref((await agent.agent.get(href).expect(200)).text);
    expect(confirm).toContain('<strong>people.csv</strong>: 3 rows and 3 columns.');
    expect(confirm).toContain("Tagging 3 contacts with 'webinar' will enrol them in 'Webinar follow-up' (active).");
    expect(confirm).toMatch(/name="column-0"[^>]*>[\s\S]*?<option value="email" selected>Email<\/option>/);
    expect(confirm).toMatch(/name="column-2"[^>]*>\s*<option value="" selected>Don't import<\/option>/);

    // Staged, not started: the API (here with the session) says queued, and no worker touches it.
    const apiStatus = async () => (await agent.agent.get(`/api/v1/imports/${id}`).expect(200)).body as object;
    expect(await apiStatus()).toMatchObject({ status: 'queued', total: 3, processed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await apiStatus()).toMatchObject({ status: 'queued', processed: 0 });

    await agent.agent
      .post(`${href}/start`)
      .type('form')
      .send({ _csrf: agent.csrf, 'column-0': 'email', 'column-1': 'firstName', 'column-2': 'customFields.Company' })
      .expect(303);
    const done = await waitFor(
      async () => {
        const status = (await agent.agent.get(`${href}/status`).expect(200)).body as { done: boolean };
        return status.done ? status : null;
      },
      { what: 'the import done' },
    );
    expect(done).toMatchObject({ status: 'completed', percent: 100, created: 2, failed: 1 });
    const rows: { custom_fields: Record<string, string> }[] = await env.container.db.query(
      'SELECT custom_fields FROM contacts WHERE account_id = $1 AND email = $2',
      [accountId, 'bob@example.com'],
    );
    expect(rows[0]!.custom_fields).toEqual({ Company: 'Initech' });

    const progress = (await agent.agent.get(href).expect(200)).text;
    expect(progress).toContain('role="progressbar"');
    expect(progress).toContain('aria-valuenow="100"');
    expect(progress).toContain(`<a href="/api/v1/imports/${id}/errors" download>Download the rows that failed</a>`);
    const report = await agent.agent.get(`/api/v1/imports/${id}/errors`).expect(200);
    expect(report.text).toBe(
      'row,email,First Name,Company,reason\r\n4,bad-address,Bad,,email: must be a valid email address\r\n',
    );
    await agent.agent.post(`${href}/start`).type('form').send({ _csrf: agent.csrf }).expect(409);
  });

  it('shows a refused mapping on the confirm page, and cancels a staged import', async () => {
    const agent = await signedInAgent(env.container, apiKey);
    const href = (await upload(agent, agent.csrf).expect(303)).headers.location as string;
    const refused = await agent.agent
      .post(`${href}/start`)
      .type('form')
      .send({ _csrf: agent.csrf, 'column-0': 'firstName', 'column-1': 'firstName' })
      .expect(400);
    expect(refused.text).toContain('<code>mapping.First Name</code>');
    await agent.agent.post(`${href}/cancel`).type('form').send({ _csrf: agent.csrf }).expect(303);
    await agent.agent.get(href).expect(404);
  });

  it('refuses an upload without the CSRF token before the file, and shows a bad file on the form', async () => {
    const agent = await signedInAgent(env.container, apiKey);
    await upload(agent, null).expect(403);
    await upload(agent, 'wrong').expect(403);
    // The token after the file comes too late: the file is never staged.
    await agent.agent
      .post('/app/contacts/import')
      .attach('file', Buffer.from(CSV), 'people.csv')
      .field('_csrf', agent.csrf)
      .expect(403);
    const bad = await upload(agent, agent.csrf, 'name\nAnn\n').expect(400);
    expect(bad.text).toContain('<code>mapping</code>');
    const rows: { count: string }[] = await env.container.db.query(
      `SELECT count(*) FROM contact_imports WHERE account_id = $1 AND status IN ('staging', 'staged')`,
      [accountId],
    );
    expect(Number(rows[0]!.count)).toBe(0);
  });
});
