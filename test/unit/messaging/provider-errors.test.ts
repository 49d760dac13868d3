import { NonRetryableError, RetryableError } from '../../../src/lib/step-errors';
import { smtpFailure } from '../../../src/messaging/mailer';
import { messageKeyOf } from '../../../src/messaging/message-id';
import { windowFor } from '../../../src/messaging/rate-limiter';

describe('classifying SMTP failures', () => {
  it('fails at once on a 5xx reply, with the reply as the error', () => {
    const error = smtpFailure(
      Object.assign(new Error("Can't send mail"), { responseCode: 550, response: '550 5.1.1 No such user' }),
    );
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe('550 5.1.1 No such user');
  });

  it('retries a 4xx reply and a lost connection', () => {
    expect(
      smtpFailure(Object.assign(new Error('x'), { responseCode: 451, response: '451 4.3.0 Later' })),
    ).toBeInstanceOf(RetryableError);
    expect(smtpFailure(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }))).toBeInstanceOf(
      RetryableError,
    );
    expect(smtpFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBeInstanceOf(
      RetryableError,
    );
    expect(smtpFailure('weird')).toBeInstanceOf(RetryableError);
  });

  it('fails at once on an envelope refused before any server reply', () => {
    expect(smtpFailure(Object.assign(new Error('Invalid recipient'), { code: 'EENVELOPE' }))).toBeInstanceOf(
      NonRetryableError,
    );
  });
});

describe('message keys and rate windows', () => {
  it('derives the message key from (run, step) and the public host', () => {
    expect(messageKeyOf({ runId: 'r-1', stepId: 'welcome', publicUrl: 'https://links.acme.test:8443/base' })).toBe(
      'r-1.welcome@links.acme.test',
    );
  });

  it('turns a rate into whole messages per window, never above the rate', () => {
    expect(windowFor(10)).toEqual({ windowMs: 1000, limit: 10 });
    expect(windowFor(2.5)).toEqual({ windowMs: 1000, limit: 2 });
    expect(windowFor(0.2)).toEqual({ windowMs: 5000, limit: 1 });
  });
});
