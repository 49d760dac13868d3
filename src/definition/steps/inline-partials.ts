import type { z } from 'zod';
import type { TemplateReferences } from '../references';

/**
 * Inline templates of a send step may call the partials of TEMPLATES_DIR; one that calls a partial
 * the folder lacks is a validation error now rather than a failed run later. (Templates that do not
 * compile are reported by the definition checks and the fields' own schema.)
 */
export function checkInlinePartials(
  ctx: z.RefinementCtx,
  templates: TemplateReferences,
  fields: Record<string, string | undefined>,
): void {
  for (const [field, source] of Object.entries(fields)) {
    if (source === undefined) continue;
    let problem: string | null;
    try {
      problem = templates.partialProblem([source]);
    } catch {
      continue; // does not compile: reported elsewhere
    }
    if (problem) ctx.addIssue({ code: 'custom', path: [field], message: problem });
  }
}
