/**
 * What a definition names outside itself, checked when a definition is saved (API, console, workflow
 * files, `workflows:check`) and not when a stored version is loaded to run: those things may have
 * changed since (a template renamed), and one workflow naming a missing template must not stop the
 * others of its trigger; its send step fails instead, naming the template. The caller that may see
 * the templates (src/workflows/definition-references.ts) passes them to parseDefinition.
 */
export interface TemplateReferences {
  /** Why a step cannot use the `kind` template `name`, or null when it can. */
  issue(kind: 'email' | 'sms', name: string): string | null;
  /** Why layout `name` cannot be used, or null. */
  layoutIssue(name: string): string | null;
  /** Why inline `sources` (which compile) cannot render with the folder's partials, or null. */
  partialProblem(sources: readonly string[]): string | null;
}

/**
 * The account's calendars, for the trigger and the steps that name one (calendar-references.ts).
 * Only the entry points that save for an account can see them (src/booking/calendar-references.ts).
 */
export interface CalendarReferences {
  /** Whether the account has a calendar with this slug or id. */
  has(ref: string): boolean;
}

export interface DefinitionReferences {
  templates: TemplateReferences;
  /** Checked when given: saving from the API or the console. Absent: calendars are not checked. */
  calendars?: CalendarReferences;
}
