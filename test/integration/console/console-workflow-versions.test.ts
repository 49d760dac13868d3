import { updateWorkflow } from '../../../src/workflows/workflow-repository';
import { addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { decodeHref, signedInAgent } from './console-client';

/** A definition of about 1 MB (a webhook body of numbers, which are not templates) carrying `marker`. */
function bigDefinition(version: number) {
  return {
    id: 'big',
    name: 'Big',
    trigger: { type: 'manual' },
    steps: [
      {
        id: 'hook',
        type: 'webhook',
        url: 'https://example.com/hook',
        body: { marker: markerOf(version), filler: Array.from({ length: 150_000 }, (_, i) => i) },
      },
      { id: 'done', type: 'end' },
    ],
  };
}
const markerOf = (version: number) => `marker-of-version-${version}-end`;
const VERSIONS = 20;

describe("a workflow's versions in the console", () => {
  let env: TestEnv;
  let apiKey: string;
  let workflowId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    let accountId: string;
    ({ accountId, apiKey } = await createTestAccount(env.container));
    workflowId = (await addWorkflow(env.container, accountId, bigDefinition(1))).id;
    for (let version = 2; version <= VERSIONS; version++) {
      await env.container.db.transaction((tx) => updateWorkflow(tx, accountId, workflowId, bigDefinition(version)));
    }
  }, 120_000);
  afterAll(async () => env.cleanup());

  it("lists every version's summary with a link, and no older version's definition", async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const page = await agent.get(`/app/workflows/${workflowId}`).expect(200);
    const links = [...page.text.matchAll(/href="(\/app\/workflows\/[^"]+\/versions\/\d+)"/g)].map((match) =>
      decodeHref(match[1]!),
    );
    expect(links).toEqual(
      Array.from({ length: VERSIONS }, (_, i) => `/app/workflows/${workflowId}/versions/${VERSIONS - i}`),
    );
    // The current definition is in the editor; no other version's is anywhere on the page.
    expect(page.text).toContain(markerOf(VERSIONS));
    for (let version = 1; version < VERSIONS; version++) expect(page.text).not.toContain(markerOf(version));
  });

  it("shows one version's definition on its own page", async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const page = await agent.get(`/app/workflows/${workflowId}/versions/3`).expect(200);
    expect(page.text).toContain(markerOf(3));
    expect(page.text).not.toContain(markerOf(VERSIONS));
    await agent.get(`/app/workflows/${workflowId}/versions/${VERSIONS + 1}`).expect(404);
  });

  it('pages through older versions 20 at a time', async () => {
    const { agent } = await signedInAgent(env.container, apiKey);
    const accountId: string = (
      await env.container.db.query('SELECT account_id FROM workflows WHERE id = $1', [workflowId])
    )[0].account_id;
    await env.container.db.transaction((tx) => updateWorkflow(tx, accountId, workflowId, bigDefinition(VERSIONS + 1)));
    const first = await agent.get(`/app/workflows/${workflowId}`).expect(200);
    const older = /href="([^"]+)" rel="next">Older versions/.exec(first.text);
    expect(older).not.toBeNull();
    const second = await agent.get(decodeHref(older![1]!)).expect(200);
    const links = [...second.text.matchAll(/href="\/app\/workflows\/[^"]+\/versions\/(\d+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(links).toEqual([1]);
  });
});
