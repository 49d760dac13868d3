import { ConfigError, loadConfig } from '../../../src/config/env';

describe('the TRUST_PROXY variable', () => {
  it('takes a hop count or the proxies’ addresses and subnets, and is off by default', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe('false');
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).TRUST_PROXY).toBe(
      'loopback, 10.0.0.0/8, fd00::/8',
    );
  });

  it('refuses to start with `true`, which would let any client choose the address it is counted under', () => {
    for (const value of ['true', 'TRUE', ' True ']) {
      let error: unknown;
      try {
        loadConfig({ TRUST_PROXY: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
    }
  });
});
