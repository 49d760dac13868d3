import { ConfigError, loadConfig } from '../../../src/config/env';

describe('the CAMPAIGN_CONCURRENCY variable', () => {
  it('gives the campaign lane 5 slots by default, any number on request, and none with 0', () => {
    expect(loadConfig({}).CAMPAIGN_CONCURRENCY).toBe(5);
    expect(loadConfig({ CAMPAIGN_CONCURRENCY: '12' }).CAMPAIGN_CONCURRENCY).toBe(12);
    expect(loadConfig({ CAMPAIGN_CONCURRENCY: '0' }).CAMPAIGN_CONCURRENCY).toBe(0);
  });

  it('refuses a negative or fractional share', () => {
    for (const value of ['-1', '2.5', 'many']) {
      let error: unknown;
      try {
        loadConfig({ CAMPAIGN_CONCURRENCY: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^CAMPAIGN_CONCURRENCY: /)]);
    }
  });
});
