import type { CalendarReferences, DefinitionReferences } from '../definition/references';
import { currentTemplates } from '../messaging/template-store';

/**
 * What a definition being saved is checked against (parseDefinition's `references`): the message
 * templates loaded at boot and, when the caller gives them, the account's calendars (workflows cannot
 * load calendars: booking sits above; see src/booking/calendar-references.ts). A stored version being
 * loaded to run is not checked (src/definition/references.ts).
 */
export function definitionReferences(options: { calendars?: CalendarReferences } = {}): DefinitionReferences {
  return { templates: currentTemplates(), ...(options.calendars ? { calendars: options.calendars } : {}) };
}
