import { insertOutboxEvents, relayUnpublishedEvents, type OutboxEventRow } from '../../../src/events/outbox-store';
import { statementsOf } from '../../helpers/statement-watch';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The relay's transaction (src/events/outbox-store.ts relayUnpublishedEvents): two round trips,
 * BEGIN with the claim and the mark with the COMMIT; nothing marked unless the events were handed
 * to their queues; any number of relays at once, each event moved once.
 */
describe('the outbox relay transaction', () => {
  let env: TestEnv;
  let accountId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  const db = () => env.container.db;
  const append = (count: number, tag: string) =>
    insertOutboxEvents(
      db().manager,
      Array.from({ length: count }, (_, i) => ({
        accountId,
        type: 'contact.tag_added',
        contactId: null,
        data: { tag: `${tag}-${i}` },
        lane: 'interactive' as const,
      })),
    );
  const unpublished = async (): Promise<number> =>
    (
      (await db().query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL')) as { n: number }[]
    )[0]!.n;
  const drain = async () => {
    while ((await relayUnpublishedEvents(db(), 500, async () => undefined)) > 0);
  };
  const idleInTransaction = async (): Promise<number> =>
    (
      (await db().query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      )) as { n: number }[]
    )[0]!.n;

  it('claims and marks a batch in two round trips, handing the events over whole and in id order', async () => {
    await drain();
    await append(3, 'two-trips');
    const handed: OutboxEventRow[] = [];
    const { result, sent } = await statementsOf(() =>
      relayUnpublishedEvents(db(), 500, async (rows) => {
        handed.push(...rows);
      }),
    );
    expect(result).toBe(3);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(
      /^BEGIN; SELECT .* FROM outbox_events WHERE published_at IS NULL .* FOR UPDATE SKIP LOCKED$/,
    );
    expect(sent[1]).toMatch(
      /^UPDATE outbox_events SET published_at = now\(\) WHERE id = ANY \('\{\d+,\d+,\d+\}'::bigint\[\]\); COMMIT$/,
    );
    expect(handed.map((row) => row.data)).toEqual([
      { tag: 'two-trips-0' },
      { tag: 'two-trips-1' },
      { tag: 'two-trips-2' },
    ]);
    expect(handed.map((row) => Number(row.id))).toEqual([...handed.map((row) => Number(row.id))].sort((a, b) => a - b));
    expect(handed[0]).toMatchObject({ account_id: accountId, type: 'contact.tag_added', lane: 'interactive' });
    expect(await unpublished()).toBe(0);
  });

  it('with nothing to move, is one round trip and a COMMIT', async () => {
    await drain();
    const { result, sent } = await statementsOf(() => relayUnpublishedEvents(db(), 500, async () => undefined));
    expect(result).toBe(0);
    expect(sent).toEqual([expect.stringMatching(/^BEGIN; SELECT /), 'COMMIT']);
  });

  it('marks nothing when handing over failed, rolls back, and moves the same events on the next attempt', async () => {
    await drain();
    await append(2, 'redis-down');
    await expect(
      relayUnpublishedEvents(db(), 500, async () => {
        throw new Error('Connection is closed.');
      }),
    ).rejects.toThrow('Connection is closed.');
    expect(await unpublished()).toBe(2);
    expect(await idleInTransaction()).toBe(0);
    const handed: string[] = [];
    expect(
      await relayUnpublishedEvents(
        db(),
        500,
        async (rows) => void handed.push(...rows.map((row) => String(row.data.tag))),
      ),
    ).toBe(2);
    expect(handed).toEqual(['redis-down-0', 'redis-down-1']);
    expect(await unpublished()).toBe(0);
  });

  it('lets concurrent relays move each event exactly once', async () => {
    await drain();
    await append(60, 'race');
    const handed: string[] = [];
    const relay = async () => {
      let moved = 0;
      for (;;) {
        const n = await relayUnpublishedEvents(db(), 7, async (rows) => {
          handed.push(...rows.map((row) => row.id));
          await new Promise((resolve) => setTimeout(resolve, 2));
        });
        if (n === 0) return moved;
        moved += n;
      }
    };
    const moved = await Promise.all([relay(), relay(), relay(), relay()]);
    expect(moved.reduce((a, b) => a + b, 0)).toBe(60);
    expect(new Set(handed).size).toBe(60);
    expect(handed).toHaveLength(60);
    expect(await unpublished()).toBe(0);
  });

  it('refuses a limit that is no positive integer, before any statement', async () => {
    for (const limit of [0, -1, 2.5, Number.NaN])
      await expect(relayUnpublishedEvents(db(), limit, async () => undefined)).rejects.toThrow(/positive integer/);
  });
});
