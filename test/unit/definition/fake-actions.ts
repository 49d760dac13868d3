import { z } from 'zod';
import { defineStepType, type StepTypeDefinition } from '../../../src/definition/step-type';
import { lookupFrom } from '../../../src/definition/step-types';
import { durationSchema } from '../../../src/lib/duration';

/** Small stand-ins for the real step types, with the same config shapes, so the checks are tested on their own. */
const wait = defineStepType({
  type: 'wait',
  label: 'Wait',
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
});

const ifElse = defineStepType({
  type: 'if_else',
  label: 'If / else',
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
});

const tag = (type: string): StepTypeDefinition =>
  defineStepType({ type, configSchema: z.strictObject({ tag: z.string().min(1) }), label: type });

const webhook = defineStepType({
  type: 'webhook',
  label: 'Webhook',
  configSchema: z.strictObject({
    // Like the real actions, checks its own template: the parser must not report it twice.
    url: z.string().refine((url) => !url.includes('{{') || url.includes('}}'), 'not a valid template'),
    method: z.string().optional(),
    body: z.unknown().optional(),
  }),
});

const end = defineStepType({ type: 'end', label: 'End', configSchema: z.strictObject({}), fallsThrough: () => false });

export const fakeLookup = lookupFrom([
  wait,
  ifElse,
  tag('add_tag'),
  tag('remove_tag'),
  webhook,
  end,
] as StepTypeDefinition[]);
