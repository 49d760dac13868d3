import { z } from 'zod';
import { mapStrings } from '../../templating/render-deep';
import { assertTemplateCompiles, templateString } from '../../templating/template';
import { defineStepType } from '../step-type';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const webhookConfigSchema = z
  .strictObject({
    /** A template rendering to an http(s) URL. */
    url: templateString.min(1).meta({ title: 'URL', description: 'An http(s) address; may use {{…}} values.' }),
    /** Default POST. */
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').meta({ title: 'Method' }),
    /** Header values are templates. Idempotency-Key and Content-Type are set by the step. */
    headers: z
      .record(z.string().regex(HEADER_NAME, 'not a valid header name'), templateString)
      .optional()
      .meta({ title: 'Headers', description: 'Name → value; Idempotency-Key and Content-Type are set for you.' }),
    /** Any JSON; every string inside it is a template. Sent as application/json. Default: no body. */
    body: z
      .json()
      .superRefine((body, ctx) => {
        try {
          mapStrings(body, (text) => {
            assertTemplateCompiles(text);
            return text;
          });
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `not a valid template: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      })
      .optional()
      .meta({ title: 'Body', description: 'Sent as application/json; every string in it may use {{…}} values.' }),
    /** Abort (and retry) after this long. Default 10000 ms. */
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(10_000)
      .meta({ title: 'Time-out (ms)', description: 'Give up (and retry) after this long. Default 10000.' }),
  })
  .refine((config) => config.body === undefined || config.method !== 'GET', {
    message: 'a GET request cannot send a body',
    path: ['body'],
  });
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** Calls an HTTP endpoint; see src/actions/webhook.ts. */
export const webhookStep = defineStepType({ type: 'webhook', label: 'Webhook', configSchema: webhookConfigSchema });
