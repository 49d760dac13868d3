import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startCaptureServer, type CaptureServer } from '../../helpers/capture-server';
import { freePort } from '../../helpers/free-port';
import { startLinkflowProcess, type LinkflowProcess } from '../../helpers/linkflow-process';
import { createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';

describe('the logs of a full run', () => {
  let env: TestEnv;
  let sink: CaptureServer;
  let linkflow: LinkflowProcess | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    // The first call fails, so that retry and error paths log too.
    sink = await startCaptureServer((_req, index) =>
      index === 0 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { ok: true } },
    );
  });
  afterAll(async () => {
    await linkflow?.stop();
    await sink.close();
    await env.cleanup();
  });

  it('carry runId, stepId, workflowId and contactId, and never an API key, a webhook body or a message body', async () => {
    const apiKey = `lf_${randomBytes(24).toString('base64url')}`;
    const secret = `sk_live_${randomBytes(16).toString('hex')}`;
    const messageBody = `Your private code is ${randomBytes(8).toString('hex')}`;
    const port = await freePort();
    linkflow = await startLinkflowProcess({
      role: 'all',
      env: { ...env.env, PORT: String(port), API_KEY: apiKey },
      logLevel: 'debug',
      readyText: 'Linkflow listening',
    });
    const api = request(`http://127.0.0.1:${port}`);
    const auth = { Authorization: `Bearer ${apiKey}` };
    const workflow = await api
      .post('/api/v1/workflows')
      .set(auth)
      .send({
        id: 'forward-lead',
        name: 'Forward a lead',
        trigger: { type: 'contact.tag_added', tag: 'lead' },
        steps: [
          { id: 'tag', type: 'add_tag', tag: 'forwarded' },
          {
            id: 'notify',
            type: 'webhook',
            url: `${sink.url}/leads`,
            headers: { authorization: `Bearer ${apiKey}`, 'x-api-key': apiKey },
            body: { secret, email: '{{contact.email}}' },
            retry: { attempts: 3, backoff: '100ms' },
          },
          { id: 'mail', type: 'send_email', subject: 'Welcome', text: messageBody },
          { id: 'done', type: 'end' },
        ],
      })
      .expect(201);
    const contact = await api
      .post('/api/v1/contacts')
      .set(auth)
      .send({ email: 'lead@example.com', tags: ['lead'] })
      .expect(201);
    const run = await waitFor(
      async () => {
        const { body } = await api.get('/api/v1/runs').query({ workflowId: workflow.body.id }).set(auth).expect(200);
        return body.items[0]?.status === 'completed' ? (body.items[0] as { id: string }) : null;
      },
      { what: 'the run to complete' },
    );
    await api
      .get(`/api/v1/contacts/${randomBytes(4).toString('hex')}`)
      .set(auth)
      .expect(404);
    expect(sink.requests).toHaveLength(2);
    expect(JSON.parse(sink.requests[1]!.body)).toEqual({ secret, email: 'lead@example.com' });
    expect(await linkflow.stop()).toBe(0);

    const output = linkflow.output();
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const stepLines = lines.filter((line) => line.runId === run.id);
    expect(stepLines.map((line) => line.stepId)).toEqual(expect.arrayContaining(['tag', 'notify', 'mail', 'done']));
    for (const line of stepLines) {
      expect(line).toMatchObject({ workflowId: workflow.body.id, contactId: contact.body.id });
    }
    expect(stepLines.some((line) => line.stepId === 'notify' && line.level === 40)).toBe(true); // the 503, retried

    expect(output).not.toContain(apiKey);
    expect(output).not.toContain(apiKey.slice(3));
    expect(output).not.toContain(secret);
    expect(output).not.toContain(messageBody);
    expect(output).not.toContain(sink.requests[1]!.body);
  });
});
