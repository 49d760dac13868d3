import { postToProvider, providerRefusal, stringField } from './http-send';
import type { SmsProvider } from './sms-provider';

/**
 * SMS_PROVIDER=webhook: POST `{"to","from","body","messageId"}` as JSON to SMS_WEBHOOK_URL. 2xx means
 * accepted (`providerMessageId` from a JSON `id`); 5xx, 408, 429 and network failures are retried;
 * other 4xx fail the step. `messageId` (also sent as Idempotency-Key) is the same on every retry.
 */
export function createWebhookSmsProvider(options: { url: string; from?: string }): SmsProvider {
  return {
    name: 'webhook',
    delivers: true,
    async send(sms) {
      const answer = await postToProvider('SMS webhook', options.url, {
        headers: {
          'content-type': 'application/json',
          'idempotency-key': sms.messageId,
          'user-agent': 'Linkflow-SMS/1',
        },
        body: JSON.stringify({ to: sms.to, from: options.from ?? null, body: sms.body, messageId: sms.messageId }),
      });
      if (answer.status < 200 || answer.status >= 300) {
        throw providerRefusal('SMS webhook', answer, stringField(answer.json, 'error') ?? answer.text.slice(0, 200));
      }
      const id = stringField(answer.json, 'id');
      return { delivered: true, ...(id === undefined ? {} : { providerMessageId: id }) };
    },
  };
}
