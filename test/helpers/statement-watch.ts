import pg from 'pg';

/**
 * The texts of the statements this process sends from now on, whitespace collapsed: pg's
 * Client.query is wrapped to note each one and then send it as before (the bench's statement probe,
 * bench/statement-probe.ts, does the same). `restore()` unwraps it.
 */
export function watchStatements(): string[] & { restore(): void } {
  const sent = [] as unknown as string[] & { restore(): void };
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : String((config as { text?: unknown } | null)?.text ?? '');
    sent.push(text.replace(/\s+/g, ' ').trim());
    return original.apply(this, args);
  };
  sent.restore = () => (prototype.query = original);
  return sent;
}

/** What `work` returns and the statements it sent (see watchStatements). */
export async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const sent = watchStatements();
  try {
    const result = await work();
    return { result, sent: [...sent] };
  } finally {
    sent.restore();
  }
}

/**
 * Expects the message rows of `messages` sends to have been written in batches: their inserts (before
 * the sends) and their settlings (after them) in at least one and fewer than `messages` statements each.
 */
export function expectMessageRowsBatched(sent: string[], messages: number): void {
  const inserts = sent.filter((sql) => sql.startsWith('INSERT INTO messages'));
  const settles = sent.filter((sql) => sql.startsWith('UPDATE messages m SET status'));
  expect(inserts.length).toBeGreaterThan(0);
  expect(inserts.length).toBeLessThan(messages);
  expect(settles.length).toBeGreaterThan(0);
  expect(settles.length).toBeLessThan(messages);
}
