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

export interface DefinitionReferences {
  templates: TemplateReferences;
}
