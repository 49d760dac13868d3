import { postToProvider, providerRefusal, stringField } from './http-send';
import type { SmsProvider } from './sms-provider';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** TWILIO_API_URL. Default https://api.twilio.com. */
  apiUrl: string;
}

/**
 * SMS_PROVIDER=twilio: Twilio's Messages REST call, form-encoded `To`, `From`, `Body`, basic auth
 * SID:token. The message's `sid` is its providerMessageId. 429 and 5xx are retried; any other 4xx
 * fails the step with Twilio's `message`. (Twilio's Messages API takes no idempotency key.)
 */
export function createTwilioSmsProvider(options: TwilioOptions): SmsProvider {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    delivers: true,
    async send(sms) {
      const answer = await postToProvider('Twilio', url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization, accept: 'application/json' },
        body: new URLSearchParams({ To: sms.to, From: options.from, Body: sms.body }).toString(),
      });
      if (answer.status < 200 || answer.status >= 300) {
        throw providerRefusal('Twilio', answer, stringField(answer.json, 'message') ?? answer.text.slice(0, 200));
      }
      const sid = stringField(answer.json, 'sid');
      return { delivered: true, ...(sid === undefined ? {} : { providerMessageId: sid }) };
    },
  };
}
