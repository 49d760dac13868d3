import { addContact, addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from './console-client';

const NURTURE = {
  id: 'nurture',
  name: 'Nurture',
  trigger: { type: 'contact.tag_added', tag: 'lead' },
  steps: [
    { id: 'wait', type: 'wait', duration: '2d', event: 'appointment.booked', onEvent: 'booked' },
    {
      id: 'check',
      type: 'if_else',
      conditions: [{ field: 'contact.tags', op: 'contains', value: 'vip' }],
      then: 'vip',
      else: 'done',
    },
    { id: 'vip', type: 'add_tag', tag: 'vip', next: 'done' },
    { id: 'booked', type: 'add_tag', tag: 'booked' },
    { id: 'done', type: 'end' },
  ],
};

/** The line of the annotated listing that carries `text`, with its issues. */
function listingLine(html: string, line: number): string {
  const match = new RegExp(`<li id="line-${line}"[^>]*>(.*?)</li>`, 's').exec(html);
  return match?.[0] ?? '';
}

describe('workflows in the console', () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;
  let workflowId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    workflowId = (await addWorkflow(env.container, accountId, NURTURE)).id;
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('draws the graph as SVG: a box per step and arrows labelled by their exit', async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const contact = await addContact(env.container, accountId, { email: 'waiting@example.com' });
    const rows: { id: string }[] = await env.container.db.query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key)
       VALUES ($1, $2, 1, $3, 'waiting', 'wait', '{"type":"manual","data":{}}', 'test:1') RETURNING id`,
      [accountId, workflowId, contact.id],
    );
    expect(rows).toHaveLength(1);

    const page = await agent.get(`/app/workflows/${workflowId}`).expect(200);
    const svg = /<svg[^]*?<\/svg>/.exec(page.text)![0];
    for (const step of NURTURE.steps)
      expect(svg).toContain(
        `<g class="node${step.id === 'wait' ? ' busy' : ''}" data-step="${step.id}" data-runs="${step.id === 'wait' ? 1 : 0}">`,
      );
    const arrows = [
      ...svg.matchAll(
        /<g class="edge" data-from="([^"]+)" data-to="([^"]+)">.*?<text class="edge-label"[^>]*>([^<]+)<\/text><\/g>/g,
      ),
    ].map((m) => `${m[1]}-${m[3]}->${m[2]}`);
    expect(arrows.sort()).toEqual([
      'booked-next->done',
      'check-else->done',
      'check-then->vip',
      'vip-next->done',
      'wait-onEvent->booked',
      'wait-onTimeout->check',
    ]);
  });

  it("lists workflows with their runs' counts", async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const page = await agent.get('/app/workflows').expect(200);
    expect(page.text).toMatch(/Nurture<\/a>[^]*?<td>1<\/td><td>0<\/td><td>0<\/td>/);
  });

  it('Check shows each issue next to the line that caused it, and saves nothing', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const source = [
      'id: nurture', //                                   1
      'name: Nurture', //                                 2
      'trigger: { type: contact.tag_added, tag: lead }', // 3
      'steps:', //                                        4
      '  - id: first', //                                 5
      '    type: add_tag', //                             6
      '    tag: hello', //                                7
      '    next: nowhere', //                             8
      '  - id: done', //                                  9
      '    type: end', //                                 10
      '  - { id: oops, type: add_tag }', //               11
    ].join('\n');
    const page = await agent
      .post(`/app/workflows/${workflowId}/definition`)
      .type('form')
      .send({ _csrf: csrf, intent: 'check', definition: source })
      .expect(400);
    expect(listingLine(page.text, 8)).toContain('class="has-issue"');
    expect(listingLine(page.text, 8)).toContain('steps[0].next');
    expect(listingLine(page.text, 8)).toContain('goes next to &#x27;nowhere&#x27;, which does not exist');
    expect(listingLine(page.text, 11)).toContain('steps[2].tag');
    expect(listingLine(page.text, 7)).not.toContain('has-issue');
    const versions: { count: string }[] = await env.container.db.query(
      'SELECT count(*) FROM workflow_versions WHERE workflow_id = $1',
      [workflowId],
    );
    expect(Number(versions[0]!.count)).toBe(1);
  });

  it('shows a YAML syntax error at its line, and a changed id at the id', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const broken = await agent
      .post(`/app/workflows/${workflowId}/definition`)
      .type('form')
      .send({ _csrf: csrf, intent: 'save', definition: 'id: nurture\nname: [unclosed\nsteps: []\n' })
      .expect(400);
    expect(broken.text).toMatch(/<li id="line-\d+" class="has-issue">/);
    const renamed = await agent
      .post(`/app/workflows/${workflowId}/definition`)
      .type('form')
      .send({ _csrf: csrf, intent: 'check', definition: JSON.stringify({ ...NURTURE, id: 'other' }, null, 2) })
      .expect(400);
    expect(listingLine(renamed.text, 2)).toContain('must stay &#x27;nurture&#x27;');
  });

  it('Save adds a version; deactivate and activate are versions too; a contact is enrolled by email', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const source = JSON.stringify({ ...NURTURE, name: 'Nurture 2' });
    const saved = await agent
      .post(`/app/workflows/${workflowId}/definition`)
      .type('form')
      .send({ _csrf: csrf, intent: 'save', definition: source })
      .expect(303);
    expect(saved.headers.location).toBe(`/app/workflows/${workflowId}?notice=saved`);
    await agent
      .post(`/app/workflows/${workflowId}/status`)
      .type('form')
      .send({ _csrf: csrf, status: 'draft' })
      .expect(303);
    const draft: { status: string; version: number; name: string }[] = await env.container.db.query(
      'SELECT status, version, name FROM workflows WHERE id = $1',
      [workflowId],
    );
    expect(draft[0]).toEqual({ status: 'draft', version: 3, name: 'Nurture 2' });
    await addContact(env.container, accountId, { email: 'ann@example.com' });
    const refused = await agent
      .post(`/app/workflows/${workflowId}/runs`)
      .type('form')
      .send({ _csrf: csrf, contact: 'ann@example.com' })
      .expect(409);
    expect(refused.text).toContain('draft');

    await agent
      .post(`/app/workflows/${workflowId}/status`)
      .type('form')
      .send({ _csrf: csrf, status: 'active' })
      .expect(303);
    const enrolled = await agent
      .post(`/app/workflows/${workflowId}/runs`)
      .type('form')
      .send({ _csrf: csrf, contact: 'ANN@example.com' })
      .expect(303);
    expect(enrolled.headers.location).toMatch(
      new RegExp(`^/app/workflows/${workflowId}\\?notice=enrolled&run=[0-9a-f-]{36}$`),
    );
    await agent
      .post(`/app/workflows/${workflowId}/runs`)
      .type('form')
      .send({ _csrf: csrf, contact: 'nobody@example.com' })
      .expect(404);
    const page = await agent.get(`/app/workflows/${workflowId}`).expect(200);
    expect(page.text).toContain('Version 4');
  });

  it('creates a workflow from the editor', async () => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const source = 'id: hello\nname: Hello\ntrigger: { type: manual }\nsteps:\n  - { id: done, type: end }\n';
    const created = await agent
      .post('/app/workflows')
      .type('form')
      .send({ _csrf: csrf, intent: 'save', definition: source })
      .expect(303);
    const page = await agent.get(created.headers.location!).expect(200);
    expect(page.text).toContain('<h1>Hello');
  });
});
