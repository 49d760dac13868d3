import { ConfigError, loadConfig } from '../../../src/config/env';

describe('the webhook egress variables', () => {
  it('keep the guard on and allow nothing internal by default', () => {
    const config = loadConfig({});
    expect(config.WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(config.WEBHOOK_ALLOWED_HOSTS).toEqual([]);
  });

  it('read WEBHOOK_ALLOWED_HOSTS as lower-cased hosts, IPs and CIDRs', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: ' Hooks.Internal, 10.1.0.0/16,::1 ' }).WEBHOOK_ALLOWED_HOSTS).toEqual([
      'hooks.internal',
      '10.1.0.0/16',
      '::1',
    ]);
  });

  it('refuse to start on an entry that looks like a CIDR but is not one', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'hooks.internal,10.0.0.0/33' })).toThrow(ConfigError);
  });
});
