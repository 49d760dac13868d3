/**
 * Whether the definition checks under way look at what a definition names outside itself: the
 * message templates, layouts and partials of TEMPLATES_DIR. They do when a definition is saved;
 * they do not when a stored version is loaded to run, because those things may have changed since
 * (a template renamed) and one workflow naming a missing template must not stop the others of its
 * trigger: its send step fails instead, naming the template.
 *
 * Definition checks are synchronous (zod refinements), so a module-level switch, set for the length
 * of one synchronous check, is seen by exactly that check.
 */
let skipping = false;

/** Runs the synchronous `check` without reference checks. */
export function withoutReferenceChecks<T>(check: () => T): T {
  const previous = skipping;
  skipping = true;
  try {
    return check();
  } finally {
    skipping = previous;
  }
}

/** False inside withoutReferenceChecks: config schemas skip their checks against TEMPLATES_DIR. */
export function referenceChecksEnabled(): boolean {
  return !skipping;
}
