import type { ActionDefinition } from './action';

/** Every action type, registered in one place. (Filled in by the actions work.) */
const actions: ActionDefinition[] = [];

const byType = new Map(actions.map((action) => [action.type, action]));

export function getAction(type: string): ActionDefinition | undefined {
  return byType.get(type);
}

export const ACTION_TYPES: readonly string[] = actions.map((action) => action.type);
