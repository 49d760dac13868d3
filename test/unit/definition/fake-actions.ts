import { z } from 'zod';
import { defineAction, type ActionDefinition } from '../../../src/actions/action';
import { lookupFrom } from '../../../src/definition/action-lookup';
import { durationSchema } from '../../../src/lib/duration';

/** Small stand-ins for the real actions, with the same config shapes, so the checks are tested on their own. */
const never = async (): Promise<never> => {
  throw new Error('fake actions do not run');
};

const wait = defineAction({
  type: 'wait',
  configSchema: z
    .strictObject({
      duration: durationSchema.optional(),
      until: z.string().optional(),
      event: z.string().optional(),
      onEvent: z.string().optional(),
      onTimeout: z.string().optional(),
    })
    .refine((c) => c.duration !== undefined || c.until !== undefined, 'a duration or an until'),
  targets: (c) => [
    ...(c.onEvent ? [{ path: 'onEvent', stepId: c.onEvent }] : []),
    ...(c.onTimeout ? [{ path: 'onTimeout', stepId: c.onTimeout }] : []),
  ],
  execute: never,
});

const ifElse = defineAction({
  type: 'if_else',
  configSchema: z.strictObject({
    conditions: z.array(z.strictObject({ field: z.string(), op: z.string(), value: z.unknown().optional() })).min(1),
    match: z.enum(['all', 'any']).default('all'),
    then: z.string(),
    else: z.string(),
  }),
  targets: (c) => [
    { path: 'then', stepId: c.then },
    { path: 'else', stepId: c.else },
  ],
  fallsThrough: () => false,
  execute: never,
});

const tag = (type: string): ActionDefinition =>
  defineAction({ type, configSchema: z.strictObject({ tag: z.string().min(1) }), execute: never });

const webhook = defineAction({
  type: 'webhook',
  configSchema: z.strictObject({
    // Like the real actions, checks its own template: the parser must not report it twice.
    url: z.string().refine((url) => !url.includes('{{') || url.includes('}}'), 'not a valid template'),
    method: z.string().optional(),
    body: z.unknown().optional(),
  }),
  execute: never,
});

const end = defineAction({ type: 'end', configSchema: z.strictObject({}), fallsThrough: () => false, execute: never });

export const fakeLookup = lookupFrom([wait, ifElse, tag('add_tag'), tag('remove_tag'), webhook, end] as ActionDefinition[]);
