import { z } from 'zod';
import { defineStepType } from '../step-type';

/** Ends the run here, whatever steps follow in the list. */
export const endStep = defineStepType({
  type: 'end',
  label: 'End',
  configSchema: z.strictObject({}),
  fallsThrough: () => false,
});
