import { z } from 'zod';
import { defineAction } from './action';

/** Ends the run here, whatever steps follow in the list. */
export const endAction = defineAction({
  type: 'end',
  configSchema: z.strictObject({}),
  fallsThrough: () => false,
  execute: async () => ({ kind: 'end' }),
});
