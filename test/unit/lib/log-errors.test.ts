import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { loggedError, scrubLogText } from '../../../src/lib/log-errors';
import { createLogger } from '../../../src/lib/logger';
import { redactSecretPaths } from '../../../src/lib/secret-paths';
import { captureLines } from '../../helpers/log-capture';

const TOKEN = 'eTG2JYsC3nyFRU81hIiHcBxVlLcrsGP3dn6qXUxQObg';

/** A unique violation as pg reports it: the offending value is in `detail`. */
function uniqueViolation(): QueryFailedError {
  const driver = new DatabaseError('duplicate key value violates unique constraint "contacts_email_key"', 0, 'error');
  Object.assign(driver, {
    code: '23505',
    detail: 'Key (account_id, email)=(a1, ada@example.com) already exists.',
    schema: 'public',
    table: 'contacts',
    constraint: 'contacts_email_key',
    where: 'SQL statement "INSERT …"',
  });
  return new QueryFailedError(
    'INSERT INTO contacts (email, html) VALUES ($1, $2)',
    ['ada@example.com', `<a href="https://x.test/u/${TOKEN}">`],
    driver,
  );
}

describe('an error as a log line shows it', () => {
  it('keeps what names a database failure (type, code, table, constraint, schema) and drops the query, its parameters and the driver details', () => {
    const logged = loggedError(uniqueViolation());
    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      table: 'contacts',
      constraint: 'contacts_email_key',
      schema: 'public',
    });
    expect(Object.keys(logged).sort()).toEqual(['code', 'constraint', 'message', 'schema', 'stack', 'table', 'type']);
    expect(JSON.stringify(logged)).not.toMatch(/ada@example\.com|INSERT|Key \(|eTG2/);
  });

  it('replaces the values PostgreSQL quotes in its messages, email addresses and the tokens of public paths', () => {
    expect(scrubLogText('invalid input syntax for type uuid: "sk_live_123"')).toBe(
      'invalid input syntax for type uuid: [value]',
    );
    expect(scrubLogText('value "99999999999" is out of range for type integer')).toBe(
      'value [value] is out of range for type integer',
    );
    expect(scrubLogText('new row for relation "messages" violates check constraint "c1"')).toBe(
      'new row for relation "messages" violates check constraint "c1"',
    );
    expect(scrubLogText('550 5.1.1 <ada.l@example.co.uk>: Recipient address rejected')).toBe(
      '550 5.1.1 <[email]>: Recipient address rejected',
    );
    expect(scrubLogText(`fetch https://x.test/book/${TOKEN} failed`)).toBe('fetch https://x.test/book/:token failed');
    expect(scrubLogText('at /app/node_modules/@swc/core/index.js:1:2')).toBe(
      'at /app/node_modules/@swc/core/index.js:1:2',
    );
  });

  it('follows causes and aggregated errors, and scrubs message strings too', () => {
    const wrapped = new Error('send failed', { cause: uniqueViolation() });
    expect(loggedError(wrapped)).toMatchObject({ type: 'Error', cause: { code: '23505', table: 'contacts' } });
    const aggregate = new AggregateError(
      [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' })],
      'no route',
    );
    expect(loggedError(aggregate)).toMatchObject({ errors: [{ code: 'ECONNREFUSED', syscall: 'connect' }] });
    expect(loggedError(`unsubscribe https://x.test/u/${TOKEN} for bo@example.com`)).toBe(
      'unsubscribe https://x.test/u/:token for [email]',
    );
  });

  it('goes through the logger for `err` and `error`, whichever way the error is passed', () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: 'info', destination: stream }).child({ runId: 'r1' });
    log.error({ err: uniqueViolation() }, 'step failed');
    log.warn({ error: uniqueViolation() }, 'step failed');
    log.error(uniqueViolation(), 'step failed');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, { code?: string; parameters?: unknown }>;
      expect((parsed.err ?? parsed.error)?.code).toBe('23505');
      expect(line).not.toMatch(/parameters|driverError|ada@example\.com|eTG2/);
    }
  });
});

describe('a path or URL in a log line', () => {
  it('has the token of an unsubscribe, booking, reschedule or cancel page replaced, and nothing else', () => {
    expect(redactSecretPaths(`/u/${TOKEN}`)).toBe('/u/:token');
    expect(redactSecretPaths(`/book/${TOKEN}/extra?x=1`)).toBe('/book/:token/extra?x=1');
    expect(redactSecretPaths(`https://x.test/book/reschedule/${TOKEN}`)).toBe('https://x.test/book/reschedule/:token');
    expect(redactSecretPaths(`/book/cancel/${TOKEN}`)).toBe('/book/cancel/:token');
    expect(redactSecretPaths('/book/cancel/:token')).toBe('/book/cancel/:token');
    expect(redactSecretPaths('/book/reschedule')).toBe('/book/reschedule');
    expect(redactSecretPaths('/c/intro-call')).toBe('/c/intro-call');
    expect(redactSecretPaths('/api/v1/contacts/42')).toBe('/api/v1/contacts/42');
  });

  it('is logged with the token replaced, in `path` and `url` fields and one level down', () => {
    const { lines, stream } = captureLines();
    createLogger({ level: 'info', destination: stream }).info(
      { path: `/u/${TOKEN}`, request: { url: `https://x.test/book/${TOKEN}` } },
      'seen',
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({ path: '/u/:token', request: { url: 'https://x.test/book/:token' } });
  });
});
