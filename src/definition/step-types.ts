import type { z } from 'zod';
import type { StepTypeDefinition } from './step-type';
import { endStep } from './steps/end';
import { generateOneTimeLinkStep } from './steps/generate-one-time-link';
import { ifElseStep } from './steps/if-else';
import { sendEmailStep } from './steps/send-email';
import { sendSmsStep } from './steps/send-sms';
import { addTagStep, removeTagStep } from './steps/tag';
import { updateContactStep } from './steps/update-contact';
import { waitStep } from './steps/wait';
import { webhookStep } from './steps/webhook';

/** Every step type. Adding one: its file in steps/, then here, then its action in src/actions/index.ts. */
export const STEP_TYPE_LIST = [
  waitStep,
  ifElseStep,
  addTagStep,
  removeTagStep,
  updateContactStep,
  webhookStep,
  sendEmailStep,
  sendSmsStep,
  generateOneTimeLinkStep,
  endStep,
] as const;

type StepTypeByName = { [S in (typeof STEP_TYPE_LIST)[number] as S['type']]: S };
export type StepType = keyof StepTypeByName;
/** A step type's parsed config: `StepConfig<'wait'>`. */
export type StepConfig<T extends StepType> = z.infer<StepTypeByName[T]['configSchema']>;

export const STEP_TYPES: readonly StepType[] = STEP_TYPE_LIST.map((step) => step.type);

/**
 * How the definition checks find a step type by its name. A plain function works; one that also
 * carries `types` lets an unknown-type issue name the known ones.
 */
export type StepTypeLookup = ((type: string) => StepTypeDefinition | undefined) & { types?: readonly string[] };

/** A lookup over a fixed list of step types (tests, tools). */
export function lookupFrom(stepTypes: readonly StepTypeDefinition[]): StepTypeLookup {
  const byType = new Map(stepTypes.map((stepType) => [stepType.type, stepType]));
  return Object.assign((type: string) => byType.get(type), { types: stepTypes.map((stepType) => stepType.type) });
}

/** The step types above: the default for parseDefinition. */
export const stepTypeOf: StepTypeLookup = lookupFrom(STEP_TYPE_LIST as readonly StepTypeDefinition[]);

export const isStepType = (type: string): type is StepType => stepTypeOf(type) !== undefined;
