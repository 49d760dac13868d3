import { EgressRefusedError } from '../../../../src/lib/egress/egress-refused-error';
import { createEgressPolicy } from '../../../../src/lib/egress/egress-policy';

const refusalOf = (fn: () => void): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('the egress policy', () => {
  it('refuses an internal address with a typed error naming the host, the address and the range', () => {
    const policy = createEgressPolicy({});
    const error = refusalOf(() => policy.assertAllowed('metadata.internal', '169.254.169.254'));
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error).toMatchObject({
      code: 'EGRESS_REFUSED',
      host: 'metadata.internal',
      address: '169.254.169.254',
      range: 'linkLocal',
    });
  });

  it('lets a public address through', () => {
    expect(() => createEgressPolicy({}).assertAllowed('example.com', '93.184.216.34')).not.toThrow();
  });

  it('allows a named host, whatever it resolves to, case and trailing dot aside', () => {
    const policy = createEgressPolicy({ allowedHosts: ['hooks.internal', 'localhost'] });
    expect(() => policy.assertAllowed('Hooks.Internal', '10.1.2.3')).not.toThrow();
    expect(() => policy.assertAllowed('localhost.', '127.0.0.1')).not.toThrow();
    expect(policy.refusal('other.internal', '10.1.2.3')).toBeInstanceOf(EgressRefusedError);
  });

  it('allows addresses inside an allowed CIDR, and an IPv4-mapped form of them, but not next to it', () => {
    const policy = createEgressPolicy({ allowedHosts: ['10.1.0.0/16', 'fd00:1::/32'] });
    expect(policy.refusal('a', '10.1.255.7')).toBeNull();
    expect(policy.refusal('a', '::ffff:10.1.0.9')).toBeNull();
    expect(policy.refusal('a', 'fd00:1::5')).toBeNull();
    expect(policy.refusal('a', '10.2.0.1')).toMatchObject({ range: 'private' });
    expect(policy.refusal('a', 'fd00:2::5')).toMatchObject({ range: 'private' });
  });

  it('allows a single IP entry, in an IPv6 URL host with brackets too', () => {
    const policy = createEgressPolicy({ allowedHosts: ['127.0.0.1', '::1'] });
    expect(policy.refusal('127.0.0.1', '127.0.0.1')).toBeNull();
    expect(policy.refusal('[::1]', '::1')).toBeNull();
    expect(policy.refusal('127.0.0.2', '127.0.0.2')).toMatchObject({ range: 'loopback' });
  });

  it('lets everything through when private networks are allowed', () => {
    const policy = createEgressPolicy({ allowPrivateNetworks: true });
    expect(policy.refusal('169.254.169.254', '169.254.169.254')).toBeNull();
    expect(policy.refusal('localhost', '::1')).toBeNull();
  });

  it('rejects an allowed-hosts entry that is neither a host nor a CIDR', () => {
    expect(() => createEgressPolicy({ allowedHosts: ['10.0.0.0/99'] })).toThrow(
      /WEBHOOK_ALLOWED_HOSTS|10\.0\.0\.0\/99/,
    );
  });
});
