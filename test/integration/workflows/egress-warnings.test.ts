import { createEgressPolicy } from '../../../src/lib/egress/egress-policy';
import { warnOfRefusedWebhooks } from '../../../src/workflows/egress-warnings';
import { addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

const webhookWorkflow = (id: string, urls: string[], status: 'active' | 'draft' = 'active') => ({
  id,
  name: id,
  status,
  trigger: { type: 'contact.created' },
  steps: urls.map((url, index) => ({ id: `hook-${index + 1}`, type: 'webhook', url })),
});

/** A logger that keeps what was warned. */
function capturingLogger() {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  return {
    warnings,
    logger: {
      warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }),
    } as never,
  };
}

describe('warning at start-up of webhooks the egress guard will refuse', () => {
  let env: TestEnv;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    const { accountId } = await createTestAccount(env.container);
    const add = async (definition: ReturnType<typeof webhookWorkflow>) => {
      ids[definition.id] = (await addWorkflow(env.container, accountId, definition)).id;
    };
    await add(
      webhookWorkflow('metadata-grab', [
        'https://crm.example.com/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://[::ffff:127.0.0.1]:8080/x',
      ]),
    );
    await add(webhookWorkflow('local-crm', ['http://localhost:9000/hook/{{contact.id}}']));
    await add(webhookWorkflow('office-crm', ['http://10.1.2.3/hook']));
    await add(
      webhookWorkflow('public-only', [
        'https://hooks.example.com/{{contact.id}}',
        'http://{{contact.customFields.crmHost}}/hook',
      ]),
    );
    await add(webhookWorkflow('draft-internal', ['http://127.0.0.1/hook'], 'draft'));
  });
  afterAll(() => env.cleanup());

  it('names each active workflow once, with its refused steps and hosts, and leaves the rest alone', async () => {
    const { warnings, logger } = capturingLogger();
    const found = await warnOfRefusedWebhooks(env.container.db.manager, { policy: createEgressPolicy({}), logger });
    expect(found.map((w) => w.slug).sort()).toEqual(['local-crm', 'metadata-grab', 'office-crm']);
    expect(warnings).toHaveLength(3);
    expect(warnings.find((w) => w.fields.slug === 'metadata-grab')?.fields).toEqual({
      workflowId: ids['metadata-grab'],
      accountId: expect.any(String),
      slug: 'metadata-grab',
      steps: ['hook-2', 'hook-3'],
      hosts: ['169.254.169.254', '::ffff:7f00:1'],
    });
    expect(warnings.find((w) => w.fields.slug === 'local-crm')?.fields).toMatchObject({
      steps: ['hook-1'],
      hosts: ['localhost'],
    });
    // One constant message: the workflow is in the fields.
    expect(new Set(warnings.map((w) => w.message)).size).toBe(1);
  });

  it('does not warn about what the operator allows', async () => {
    const { warnings, logger } = capturingLogger();
    await warnOfRefusedWebhooks(env.container.db.manager, {
      policy: createEgressPolicy({ allowedHosts: ['localhost', '10.0.0.0/8', '169.254.169.254', '127.0.0.1'] }),
      logger,
    });
    expect(warnings.map((w) => w.fields.slug)).toEqual([]);
    await warnOfRefusedWebhooks(env.container.db.manager, {
      policy: createEgressPolicy({ allowPrivateNetworks: true }),
      logger,
    });
    expect(warnings).toHaveLength(0);
  });
});
