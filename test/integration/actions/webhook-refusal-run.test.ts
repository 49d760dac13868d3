import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

const SECRET = 'AKIA-INSTANCE-ROLE-SECRET';

describe('a workflow whose webhook points at an internal address', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  let sink: CaptureServer;

  beforeAll(async () => {
    // The guard as it ships: nothing internal allowed.
    env = await createTestEnv({ WEBHOOK_ALLOWED_HOSTS: '', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
    ({ accountId, apiKey } = await createTestAccount(env.container));
    sink = await startCaptureServer(() => ({ status: 200, body: { AccessKeyId: SECRET } }));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });

  it('fails the run at the first attempt with the reason, and neither calls nor stores the response', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'steal-metadata',
      name: 'Steal metadata',
      trigger: { type: 'contact.tag_added', tag: 'ssrf' },
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'seen' },
        {
          id: 'put',
          type: 'webhook',
          method: 'PUT',
          url: `${sink.url}/latest/api/token`,
          retry: { attempts: 3, backoff: '100ms' },
        },
        { id: 'done', type: 'end' },
      ],
    });
    await addContact(env.container, accountId, { email: 'eve@example.com', tags: ['ssrf'] });
    const [run] = await waitFor(async () => {
      const runs = await runsOf(env.container, workflow.id);
      return runs[0]?.status === 'failed' || runs[0]?.status === 'completed' ? runs : null;
    });
    expect(run!.status).toBe('failed');
    const put = (await stepsOf(env.container, run!.id)).find((step) => step.step_id === 'put')!;
    expect(put).toMatchObject({ status: 'failed', attempts: 1, output: null });
    expect(put.error).toMatch(/^webhook refused: 127\.0\.0\.1 is a loopback address/);
    expect(sink.requests).toHaveLength(0);

    const shown = await request(createApp(env.container))
      .get(`/api/v1/runs/${run!.id}`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(SECRET);
    expect(shown.body.error).toContain('webhook refused');
  });
});
