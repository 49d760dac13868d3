import { z } from 'zod';
import { STEP_ID } from '../definition-schema';

/** The id of another step of the same workflow; the graph checks make sure it exists. */
export const stepTarget = z.string().regex(STEP_ID, 'a step id: 1-64 letters, digits, _ or -');
