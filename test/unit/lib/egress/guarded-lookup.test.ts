import type { LookupAddress, LookupOptions } from 'node:dns';
import { createEgressPolicy } from '../../../../src/lib/egress/egress-policy';
import { EgressRefusedError } from '../../../../src/lib/egress/egress-refused-error';
import { createGuardedLookup, type Resolver } from '../../../../src/lib/egress/guarded-lookup';

/** Calls a net-style lookup and gives back what its callback received. */
function lookUp(resolve: Resolver, hostname: string, options: LookupOptions = { all: true }) {
  const lookup = createGuardedLookup(createEgressPolicy({}), resolve);
  return new Promise<{ error: unknown; address: string | LookupAddress[]; family?: number }>((done) =>
    lookup(hostname, options, (error, address, family) => done({ error, address, family })),
  );
}

const answers =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('the guarded lookup', () => {
  it('hands a public answer to the socket', async () => {
    expect(await lookUp(answers('93.184.216.34'), 'api.example.test')).toEqual({
      error: null,
      address: [{ address: '93.184.216.34', family: 4 }],
      family: undefined,
    });
  });

  it('answers in the one-address form when the socket does not ask for all', async () => {
    expect(await lookUp(answers('2606:4700:4700::1111', '93.184.216.34'), 'api.example.test', {})).toEqual({
      error: null,
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it('keeps to the family the socket asks for', async () => {
    expect(
      await lookUp(answers('2606:4700:4700::1111', '93.184.216.34'), 'api.example.test', { family: 4 }),
    ).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('refuses a private answer with the host and the address', async () => {
    const { error } = await lookUp(answers('10.0.0.5'), 'crm.example.test');
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error).toMatchObject({ host: 'crm.example.test', address: '10.0.0.5', range: 'private' });
  });

  it('refuses when any one of several answers is internal, even if the socket would try a public one first', async () => {
    const { error } = await lookUp(answers('93.184.216.34', '169.254.169.254'), 'mixed.example.test');
    expect(error).toMatchObject({ address: '169.254.169.254', range: 'linkLocal' });
    const v6 = await lookUp(answers('2606:4700:4700::1111', '::ffff:127.0.0.1'), 'mixed.example.test', { family: 6 });
    expect(v6.error).toMatchObject({ range: 'loopback' });
  });

  it('says ENOTFOUND when the resolver has no answer, and passes the resolver failure on otherwise', async () => {
    expect((await lookUp(answers(), 'empty.example.test')).error).toMatchObject({ code: 'ENOTFOUND' });
    const failing: Resolver = async () => {
      throw Object.assign(new Error('queryA ETIMEOUT'), { code: 'ETIMEOUT' });
    };
    expect((await lookUp(failing, 'slow.example.test')).error).toMatchObject({ code: 'ETIMEOUT' });
  });
});
