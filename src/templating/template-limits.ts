import { NonRetryableError } from '../lib/step-errors';

/**
 * What one render of a template may cost. Rendering is synchronous: a template that loops for
 * minutes stalls the worker's event loop, BullMQ declares its job stalled and hands it to the next
 * worker, which stalls too. These bounds stop such a render early, failing its step for good.
 *
 * Far above any real message: the shipped templates use no loop at all and nest two levels deep.
 */

/** Loop iterations (`#each`, a block over a list) plus partial calls, per render. */
export const MAX_RENDER_ITERATIONS = 10_000;
/** Block helpers (`#each`, `#with`, `#if`, `#unless`) and partials nested in one another, per render. */
export const MAX_NESTING = 10;
/** Characters a text render (subjects, text parts, SMS, URLs, any step field) may produce: 256 KiB. */
export const MAX_TEXT_OUTPUT = 256 * 1024;
/** Characters an HTML render (email bodies and their layouts) may produce: 1 MiB. */
export const MAX_HTML_OUTPUT = 1024 * 1024;

export type TemplateLimit = 'iterations' | 'nesting' | 'output';

/** A render went past one of the bounds above: retrying renders the same, so the step fails now. */
export class TemplateLimitError extends NonRetryableError {
  readonly code = 'template_too_large';

  constructor(
    readonly limit: TemplateLimit,
    message: string,
  ) {
    super(`template too large: ${message}`);
  }
}

/** The running cost of one render; every bounded helper charges it. */
export class RenderBudget {
  private iterations = 0;
  private depth = 0;

  constructor(readonly maxOutput: number) {}

  /** One more loop iteration or partial call. */
  spend(): void {
    this.iterations += 1;
    if (this.iterations > MAX_RENDER_ITERATIONS) {
      throw new TemplateLimitError(
        'iterations',
        `more than ${MAX_RENDER_ITERATIONS} loop iterations and partial calls`,
      );
    }
  }

  /** Runs `body` one nesting level deeper. */
  nested<T>(body: () => T): T {
    if (this.depth >= MAX_NESTING) {
      throw new TemplateLimitError('nesting', `blocks and partials nested more than ${MAX_NESTING} levels deep`);
    }
    this.depth += 1;
    try {
      return body();
    } finally {
      this.depth -= 1;
    }
  }

  /** Throws when `length` characters of output are past this render's bound. */
  checkOutput(length: number): void {
    if (length > this.maxOutput) {
      throw new TemplateLimitError('output', `more than ${this.maxOutput} characters of output`);
    }
  }
}
