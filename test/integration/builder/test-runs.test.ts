import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from '../console/console-client';

describe('test runs from the builder', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  const api = () => request(createApp(env.container));
  const auth = () => ({ Authorization: `Bearer ${apiKey}` });

  const draft = (slug: string) =>
    addWorkflow(env.container, accountId, {
      id: slug,
      name: slug,
      status: 'draft',
      allowReentry: false,
      trigger: { type: 'contact.tag_added', tag: `${slug}-tag` },
      steps: [
        { id: 'tag', type: 'add_tag', tag: `${slug}-tested` },
        { id: 'done', type: 'end', name: 'Finish' },
      ],
    });

  const completed = (runId: string) =>
    waitFor(
      async () => {
        const view = await api().get(`/api/v1/runs/${runId}`).set(auth());
        return view.status === 200 && view.body.status === 'completed' ? view.body : null;
      },
      { what: `run ${runId} to complete` },
    );

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await env.cleanup();
  });

  it('runs a draft for a contact picked by email, twice, each run marked as a test', async () => {
    const workflow = await draft('draft-twice');
    const contact = await addContact(env.container, accountId, { email: 'Tess@Example.com' });
    const first = await api()
      .post(`/api/v1/workflows/${workflow.id}/test-runs`)
      .set(auth())
      .send({ email: 'tess@example.com' })
      .expect(202);
    expect(first.body).toEqual({ runId: expect.any(String), contactId: contact.id });
    const run = await completed(first.body.runId);
    expect(run).toMatchObject({ test: true, contactId: contact.id, workflowVersion: 1, trigger: { type: 'test' } });
    expect(run.steps.map((step: { id: string }) => step.id)).toEqual(['tag', 'done']);

    // allowReentry is false and the contact ran before: a test run goes through anyway.
    const second = await api()
      .post(`/api/v1/workflows/${workflow.id}/test-runs`)
      .set(auth())
      .send({ contactId: contact.id })
      .expect(202);
    expect(second.body.runId).not.toBe(first.body.runId);
    expect(await completed(second.body.runId)).toMatchObject({ test: true });
  });

  /** Activates the workflow, then enrols the contact for real (not a test run): the 202's body. */
  const activateAndEnrol = async (workflow: { id: string; definition: unknown }, contactId: string) => {
    await api()
      .put(`/api/v1/workflows/${workflow.id}`)
      .set(auth())
      .send({ ...(workflow.definition as object), status: 'active' })
      .expect(200);
    return api().post(`/api/v1/workflows/${workflow.id}/runs`).set(auth()).send({ contactId }).expect(202);
  };

  it("does not spend the contact's one entry: a real run may follow once the workflow is active", async () => {
    const workflow = await draft('entry-kept');
    const contact = await addContact(env.container, accountId, { email: 'kept@example.com' });
    const tested = await api()
      .post(`/api/v1/workflows/entry-kept/test-runs`)
      .set(auth())
      .send({ email: 'kept@example.com' })
      .expect(202);
    await completed(tested.body.runId);
    const real = await activateAndEnrol(workflow, contact.id);
    expect(await completed(real.body.runId)).toMatchObject({ test: false });
  });

  it('answers 404 for an email no contact has, and creates no contact or run', async () => {
    const workflow = await draft('nobody');
    const response = await api()
      .post(`/api/v1/workflows/${workflow.id}/test-runs`)
      .set(auth())
      .send({ email: 'ghost@example.com' })
      .expect(404);
    expect(response.body.error.code).toBe('not_found');
    expect(await env.container.db.query('SELECT 1 FROM contacts WHERE email = $1', ['ghost@example.com'])).toEqual([]);
    expect(await runsOf(env.container, workflow.id)).toEqual([]);
  });

  it('refuses a body with neither or both of email and contactId', async () => {
    const workflow = await draft('bad-body');
    for (const body of [{}, { email: 'a@example.com', contactId: '00000000-0000-4000-8000-000000000000' }]) {
      const response = await api().post(`/api/v1/workflows/${workflow.id}/test-runs`).set(auth()).send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
  });

  it('filters runs with ?test=true and ?test=false, and marks them in the console', async () => {
    const workflow = await draft('filtered');
    const contact = await addContact(env.container, accountId, { email: 'filter@example.com' });
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    // The builder calls the API with the console session and its CSRF token.
    const tested = await agent
      .post(`/api/v1/workflows/${workflow.id}/test-runs`)
      .set('X-CSRF-Token', csrf)
      .send({ email: 'filter@example.com' })
      .expect(202);
    await completed(tested.body.runId);
    const real = await activateAndEnrol(workflow, contact.id);
    await completed(real.body.runId);

    const ids = async (query: string) =>
      (await api().get(`/api/v1/runs?workflowId=${workflow.id}${query}`).set(auth()).expect(200)).body.items.map(
        (run: { id: string; test: boolean }) => [run.id, run.test],
      );
    expect(await ids('&test=true')).toEqual([[tested.body.runId, true]]);
    expect(await ids('&test=false')).toEqual([[real.body.runId, false]]);
    expect((await ids('')).length).toBe(2);
    await api().get('/api/v1/runs?test=yes').set(auth()).expect(400);

    const page = await agent.get(`/app/runs?workflowId=${workflow.id}`).expect(200);
    const rowOf = (runId: string) => page.text.split('<tr>').find((row) => row.includes(runId))!;
    expect(rowOf(tested.body.runId)).toMatch(/>Test</);
    expect(rowOf(real.body.runId)).not.toMatch(/>Test</);
  });
});
