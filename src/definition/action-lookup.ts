import type { ActionDefinition } from '../actions/action';
import { ACTION_TYPES, getAction } from '../actions/registry';

/**
 * How the definition checks find an action by its type. A plain function works; one that also
 * carries `types` lets an unknown-type issue name the known ones.
 */
export type ActionLookup = ((type: string) => ActionDefinition | undefined) & { types?: readonly string[] };

/** The action registry (src/actions/registry.ts): the default for parseDefinition. */
export const registryLookup: ActionLookup = Object.assign((type: string) => getAction(type), { types: ACTION_TYPES });

/** A lookup over a fixed list of actions (tests, tools). */
export function lookupFrom(actions: readonly ActionDefinition[]): ActionLookup {
  const byType = new Map(actions.map((action) => [action.type, action]));
  return Object.assign((type: string) => byType.get(type), { types: actions.map((action) => action.type) });
}
