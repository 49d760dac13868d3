import { classifyAddress } from '../../../../src/lib/egress/address-policy';

describe('classifying an address a webhook would connect to', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['169.254.0.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
  ])('refuses %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each([
    // IPv4-mapped, in both spellings (WHATWG URL parsing gives the hex one).
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['::ffff:10.0.0.5', 'private'],
    // NAT64 (RFC 6052 well-known prefix): the embedded IPv4 decides.
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::169.254.169.254', 'linkLocal'],
    ['64:ff9b::10.1.2.3', 'private'],
    // 6to4 embeds an IPv4 address too.
    ['2002:7f00:1::1', 'loopback'],
  ])('looks through the IPv6 form %s to the IPv4 inside it (%s)', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['::7f00:1', '::a9fe:a9fe', '64:ff9b:1::a00:5', '2001:db8::1', '100::1'])(
    'refuses %s outright (IPv4-compatible, local-use NAT64, documentation, discard)',
    (address) => {
      expect(classifyAddress(address)).toBe('reserved');
    },
  );

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets the public address %s through', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });

  it('refuses what is not an IP address at all', () => {
    expect(classifyAddress('not-an-ip')).toBe('reserved');
  });
});
