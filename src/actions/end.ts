import { endStep } from '../definition/steps/end';
import { defineAction } from './action';

/** Ends the run here, whatever steps follow in the list. */
export const endAction = defineAction(endStep, {
  execute: async () => ({ kind: 'end' }),
});
