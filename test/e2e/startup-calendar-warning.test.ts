import path from 'node:path';
import { createTestEnv, type TestEnv } from '../helpers/test-env';
import { startLinkflowProcess } from '../helpers/linkflow-process';

jest.setTimeout(60_000);
const ROOT = path.resolve(__dirname, '../..');

describe('starting Linkflow with workflow files naming calendars not created yet', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env.cleanup());

  it('syncs workflows/lead-booking.yaml on a fresh database, warning of each step naming discovery-call', async () => {
    const app = await startLinkflowProcess({
      role: 'api',
      env: {
        ...env.env,
        API_KEY: 'lf_calendar_warning_key_123456',
        WORKFLOWS_DIR: path.join(ROOT, 'workflows'),
        TEMPLATES_DIR: path.join(ROOT, 'templates'),
      },
      readyText: 'listening',
    });
    try {
      const warnings = app
        .output()
        .split('\n')
        .filter((line) => line.includes('workflow file names a calendar the account does not have'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(warnings.filter((warning) => warning.slug === 'lead-booking')).toEqual(
        ['link', 'wait-for-booking', 'last-chance'].map((stepId) =>
          expect.objectContaining({ stepId, calendar: 'discovery-call', workflowId: expect.any(String) }),
        ),
      );
      const rows: { slug: string }[] = await env.container.db.query('SELECT slug FROM workflows');
      expect(rows.map((row) => row.slug)).toContain('lead-booking');
    } finally {
      await app.stop('SIGTERM');
    }
  });
});
