import type { DefinitionReferences } from '../definition/references';
import { currentTemplates } from '../messaging/template-store';

/**
 * What a definition being saved is checked against (parseDefinition's `references`): the message
 * templates loaded at boot. A stored version being loaded to run is not (src/definition/references.ts).
 */
export function definitionReferences(): DefinitionReferences {
  return { templates: currentTemplates() };
}
