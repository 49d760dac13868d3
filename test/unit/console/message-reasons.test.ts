import { explainFailure, explainRunFailure, messageReason } from '../../../src/console/contacts/message-reasons';
import { NO_SMTP_REASON } from '../../../src/messaging/mailer';
import { NO_SMS_PROVIDER_REASON } from '../../../src/messaging/sms/log-provider';

const email = (status: 'sent' | 'not_delivered' | 'failed' | 'skipped', error: string | null) =>
  messageReason({ channel: 'email', status, error });
const sms = (status: 'sent' | 'not_delivered' | 'failed' | 'skipped', error: string | null) =>
  messageReason({ channel: 'sms', status, error });

describe('the reason shown with a message that went nowhere', () => {
  it('has none for a message that was sent', () => {
    expect(email('sent', null)).toBeNull();
    expect(messageReason({ channel: 'email', status: 'sending', error: 'SMTP ETIMEDOUT: timeout' })).toBeNull();
  });

  it('says in words why a message was skipped, for each skip reason the send steps record', () => {
    expect(email('skipped', 'dnd')).toBe('Not sent: the contact is on do-not-disturb.');
    expect(sms('skipped', 'dnd')).toBe('Not sent: the contact is on do-not-disturb.');
    expect(email('skipped', 'unsubscribed')).toBe('Not sent: the contact unsubscribed from email.');
    expect(email('skipped', 'no_email')).toBe('Not sent: the contact has no email address.');
    expect(sms('skipped', 'no_phone')).toBe('Not sent: the contact has no phone number.');
    expect(email('skipped', null)).toBe('Not sent: skipped.');
  });

  it('says that a booking email was overtaken by a change to its appointment', () => {
    expect(email('skipped', 'superseded')).toBe('Not sent: the appointment changed before this email went out.');
  });

  it('says that nothing was sent for want of an SMTP server or an SMS provider', () => {
    expect(email('not_delivered', NO_SMTP_REASON)).toBe('Not sent: no SMTP server is configured (set SMTP_URL).');
    expect(sms('not_delivered', NO_SMS_PROVIDER_REASON)).toBe(
      'Not sent: no SMS provider is configured (set SMS_PROVIDER to webhook or twilio).',
    );
    // Rows recorded before not_delivered said why.
    expect(email('not_delivered', null)).toBe(
      'Not sent: no SMTP server is configured (set SMTP_URL); the email was only recorded.',
    );
    expect(sms('not_delivered', null)).toMatch(/^Not sent: no SMS provider is configured/);
  });

  it("gives a failure the provider's own reason, reworded where the engine's words are terse", () => {
    expect(email('failed', "'bob@' is not a valid email address")).toBe('Failed: “bob@” is not a valid email address.');
    expect(sms('failed', "'0612' is not an E.164 phone number")).toBe(
      'Failed: “0612” is not a phone number in international format (like +14155550123).',
    );
    expect(email('failed', '550 5.1.1 <nobody@example.com>: Recipient address rejected')).toBe(
      'Failed: the mail server refused it: 550 5.1.1 <nobody@example.com>: Recipient address rejected.',
    );
    expect(sms('failed', "Twilio answered 400: The 'To' number +1555 is not a valid phone number.")).toBe(
      "Failed: Twilio refused it (HTTP 400): The 'To' number +1555 is not a valid phone number.",
    );
    expect(sms('failed', 'SMS webhook answered 422')).toBe('Failed: SMS webhook refused it (HTTP 422).');
    expect(sms('failed', 'SMS webhook: request failed (ECONNREFUSED)')).toBe(
      'Failed: SMS webhook could not be reached (ECONNREFUSED).',
    );
    expect(email('failed', "email template 'welcome' is not loaded")).toBe(
      'Failed: the email template “welcome” does not exist.',
    );
    expect(email('failed', 'the email subject rendered to an empty string')).toBe(
      "Failed: the subject came out empty once the contact's details were filled in.",
    );
    expect(email('failed', 'something nobody foresaw')).toBe('Failed: something nobody foresaw.');
    expect(email('failed', null)).toBe('Failed: no reason was recorded.');
  });
});

describe('a failure explained on its own', () => {
  it('is a sentence starting with a capital', () => {
    expect(explainFailure('SMTP ECONNECTION: connect ECONNREFUSED 127.0.0.1:2525')).toBe(
      'The mail server could not be reached (ECONNECTION: connect ECONNREFUSED 127.0.0.1:2525).',
    );
    expect(explainFailure('outside the sending window until 2030-01-01T09:00:00.000Z')).toBe(
      "Held back: outside the workflow's sending window, which opens at 2030-01-01T09:00:00.000Z.",
    );
  });

  it("names the failed step of a run's error", () => {
    expect(explainRunFailure("step 'invite' failed: 'x' is not a valid email address")).toEqual({
      stepId: 'invite',
      reason: '“x” is not a valid email address.',
    });
    expect(explainRunFailure('the workflow version could not be loaded')).toEqual({
      stepId: null,
      reason: 'The workflow version could not be loaded.',
    });
  });
});
