import { ConfigError, loadConfig } from '../../../src/config/env';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the retention variables', () => {
  it('keep published events 6 hours, finished runs 90 days and spent links 365 days by default', () => {
    const config = loadConfig({});
    expect([config.OUTBOX_RETENTION_HOURS, config.RUN_RETENTION_DAYS, config.LINK_RETENTION_DAYS]).toEqual([
      6, 90, 365,
    ]);
  });

  it('take 0 for "keep for ever" and refuse negative or fractional values', () => {
    const config = loadConfig({ OUTBOX_RETENTION_HOURS: '0', RUN_RETENTION_DAYS: '0', LINK_RETENTION_DAYS: '0' });
    expect([config.OUTBOX_RETENTION_HOURS, config.RUN_RETENTION_DAYS, config.LINK_RETENTION_DAYS]).toEqual([0, 0, 0]);
    expect(problemsOf({ RUN_RETENTION_DAYS: '-1', LINK_RETENTION_DAYS: '1.5' })).toEqual([
      expect.stringMatching(/^RUN_RETENTION_DAYS: /),
      expect.stringMatching(/^LINK_RETENTION_DAYS: /),
    ]);
  });

  it('refuse to keep events longer than the runs they started, which a redelivery finds by enrol key', () => {
    expect(problemsOf({ OUTBOX_RETENTION_HOURS: '49', RUN_RETENTION_DAYS: '2' })).toEqual([
      expect.stringMatching(/^OUTBOX_RETENTION_HOURS: /),
    ]);
    expect(problemsOf({ OUTBOX_RETENTION_HOURS: '48', RUN_RETENTION_DAYS: '2' })).toEqual([]);
  });
});
