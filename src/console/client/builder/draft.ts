import { STEP_TYPE_LIST } from '../../../definition/step-types';

/**
 * The definition being built, exactly as a file or an API body holds it: each step's config sits on
 * the step beside id, type, name and next. The builder edits this shape and nothing else, so what it
 * saves is what the YAML tab shows and what `parseDefinition` checks.
 */
export interface RawStep {
  id: string;
  type: string;
  name?: string;
  next?: string;
  [field: string]: unknown;
}

export interface Draft {
  id: string;
  name: string;
  description?: string;
  status?: 'active' | 'draft';
  trigger: { type: string; [field: string]: unknown };
  steps: RawStep[];
  [field: string]: unknown;
}

/** The fields every step has; the rest is the step type's config. */
export const BASE_KEYS = ['id', 'type', 'name', 'next', 'retry'];

/** Fields of a step's config that name another step of the workflow (its exits). */
export const TARGET_KEYS: Record<string, readonly string[]> = {
  wait: ['onEvent', 'onTimeout'],
  if_else: ['then', 'else'],
};

export const stepLabelOf = (type: string): string =>
  STEP_TYPE_LIST.find((stepType) => stepType.type === type)?.label ?? type;

/** What a card and a button call a step: its name, else its id. */
export const stepTitle = (step: RawStep): string => (step.name && step.name.trim() !== '' ? step.name : step.id);

export const configOf = (step: RawStep): Record<string, unknown> =>
  Object.fromEntries(Object.entries(step).filter(([key]) => !BASE_KEYS.includes(key)));

/** The step falls through to the next one in the list when it has no `next` (not if_else, not end). */
export const fallsThrough = (step: RawStep): boolean => step.type !== 'if_else' && step.type !== 'end';

/** Reads a definition of unknown shape into a Draft, keeping every field it does not know. */
export function toDraft(value: unknown): Draft {
  const raw =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const steps = Array.isArray(raw.steps)
    ? raw.steps.filter((step): step is RawStep => step !== null && typeof step === 'object' && !Array.isArray(step))
    : [];
  const trigger =
    raw.trigger !== null && typeof raw.trigger === 'object' && !Array.isArray(raw.trigger)
      ? (raw.trigger as Draft['trigger'])
      : { type: 'contact.tag_added', tag: '' };
  return {
    ...raw,
    id: typeof raw.id === 'string' ? raw.id : '',
    name: typeof raw.name === 'string' ? raw.name : '',
    trigger,
    steps: steps.map((step) => ({ ...step })),
  };
}

/** A new workflow: a draft on a tag, with no steps yet. */
export const EMPTY_DRAFT: Draft = {
  id: 'new-workflow',
  name: 'New workflow',
  status: 'draft',
  trigger: { type: 'contact.tag_added', tag: '' },
  steps: [],
};

/** A lower-case slug of a name: "Book a call!" → "book-a-call". */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug === '' ? 'workflow' : slug;
}
