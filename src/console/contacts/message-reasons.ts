/**
 * Why a message went nowhere, in a sentence a marketer can act on. The messages table keeps the
 * engine's words in `error`: a skip reason code (`dnd`, `unsubscribed`, `no_email`, `no_phone`, and
 * a booking email's `superseded`, src/booking/notification-sender.ts), the
 * sentence of a message recorded but not delivered ("Not sent: no SMTP server is configured …"), or
 * the failure's own message (a refused address, a template that did not render, the SMTP server's
 * or the SMS provider's reply). Pure: the contact page and its tests share it.
 */

export interface MessageOutcome {
  channel: 'email' | 'sms';
  status: 'sending' | 'sent' | 'not_delivered' | 'failed' | 'skipped';
  error: string | null;
}

const SKIP_REASONS: Readonly<Record<string, string>> = {
  dnd: 'the contact is on do-not-disturb',
  unsubscribed: 'the contact unsubscribed from email',
  no_email: 'the contact has no email address',
  no_phone: 'the contact has no phone number',
  // A booking's own email whose appointment was cancelled or moved again before the email went out.
  superseded: 'the appointment changed before this email went out',
};

/** Rows written before a not_delivered message said why (no SMTP_URL, SMS_PROVIDER=log). */
const NOT_DELIVERED_BY_CHANNEL: Readonly<Record<MessageOutcome['channel'], string>> = {
  email: 'Not sent: no SMTP server is configured (set SMTP_URL); the email was only recorded.',
  sms: 'Not sent: no SMS provider is configured (SMS_PROVIDER is log); the message was only recorded.',
};

/** A sentence ends with a full stop (or its own punctuation). */
const sentence = (text: string): string => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

const quoted = (value: string): string => `“${value}”`;

/** The engine's failure messages that read better reworded; anything else is shown as it is. */
const FAILURES: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^'(.*)' is not a valid email address$/s, (m) => `${quoted(m[1]!)} is not a valid email address`],
  [
    /^'(.*)' is not an E\.164 phone number$/s,
    (m) => `${quoted(m[1]!)} is not a phone number in international format (like +14155550123)`,
  ],
  [
    /^(email|sms) template '(.*)' is not loaded$/s,
    (m) => `the ${channelName(m[1]!)} template ${quoted(m[2]!)} does not exist`,
  ],
  [/^no layout '(.*)'$/s, (m) => `there is no email layout ${quoted(m[1]!)}`],
  [/^an email needs a subject$/, () => 'the email has no subject'],
  [/^an SMS needs a body$/, () => 'the SMS has no text'],
  [
    /^the email subject rendered to an empty string$/,
    () => "the subject came out empty once the contact's details were filled in",
  ],
  [
    /^the SMS body rendered to an empty string$/,
    () => "the SMS text came out empty once the contact's details were filled in",
  ],
  [/^([45]\d\d)(?:[ -](.*))?$/s, (m) => `the mail server refused it: ${m[0].trim()}`],
  [/^SMTP ([A-Z_]+): (.*)$/s, (m) => `the mail server could not be reached (${m[1]}: ${m[2]!.trim()})`],
  [
    /^(Twilio|SMS webhook) answered (\d{3})(?:: (.*))?$/s,
    (m) => `${m[1]} refused it (HTTP ${m[2]})${m[3]?.trim() ? `: ${m[3].trim()}` : ''}`,
  ],
  [/^(Twilio|SMS webhook): request failed \((.*)\)$/s, (m) => `${m[1]} could not be reached (${m[2]})`],
  [
    /^outside the sending window until (.*)$/s,
    (m) => `held back: outside the workflow's sending window, which opens at ${m[1]}`,
  ],
];

function channelName(channel: string): string {
  return channel === 'sms' ? 'SMS' : 'email';
}

/** What went wrong, as the end of a sentence ("“bob@” is not a valid email address."); the engine's words when not reworded. */
function failurePhrase(error: string | null): string {
  if (error === null || error.trim() === '') return 'no reason was recorded.';
  const text = error.trim();
  for (const [pattern, explain] of FAILURES) {
    const match = pattern.exec(text);
    if (match) return sentence(explain(match));
  }
  return sentence(text);
}

/** What went wrong, as a sentence of its own ("The mail server refused it: 550 …"). */
export function explainFailure(error: string | null): string {
  const phrase = failurePhrase(error);
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** A run's error names its failed step: `step 'x' failed: <why>` → the step and the reason. */
export function explainRunFailure(error: string | null): { stepId: string | null; reason: string } {
  const match = error === null ? null : /^step '(.*?)' failed: (.*)$/s.exec(error);
  if (!match) return { stepId: null, reason: explainFailure(error) };
  return { stepId: match[1]!, reason: explainFailure(match[2]!) };
}

/**
 * The reason shown with a message that was not sent (skipped, not delivered) or failed; null for a
 * message that went out (or is still being sent).
 */
export function messageReason(message: MessageOutcome): string | null {
  const error = message.error?.trim() || null;
  switch (message.status) {
    case 'skipped': {
      const known = error === null ? undefined : SKIP_REASONS[error];
      if (known) return `Not sent: ${known}.`;
      return error === null ? 'Not sent: skipped.' : `Not sent: ${failurePhrase(error)}`;
    }
    case 'not_delivered':
      if (error === null) return NOT_DELIVERED_BY_CHANNEL[message.channel];
      return /^not sent\b/i.test(error) ? sentence(error) : `Not sent: ${failurePhrase(error)}`;
    case 'failed':
      return `Failed: ${failurePhrase(error)}`;
    default:
      return null;
  }
}
