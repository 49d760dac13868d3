import type { Tx } from '../db/data-source';
import type { RecordedStep, RunContext, RunContextOptions, StepEffects } from './action-contract';
import type { EngineResources } from './engine-resources';
import type { ContextRows } from './run-step-store';

/**
 * The run's context as one job carries it through the steps it runs inline: loaded once, by the
 * job's first step, then extended with what each step recorded (its stored output, the contact it
 * reported) instead of read again; the next step's templates see what a fresh load would show of
 * the run's own doings. What changes outside the run meanwhile (the contact edited over the API, the
 * account renamed) shows from the run's next job on, as it would had it changed a moment earlier.
 */
export class ChainContext {
  private context: RunContext | null = null;
  /** Recorded since `context` was built; applied when the next step asks, inside its attempt. */
  private pending: RecordedStep[] = [];

  /**
   * `opened`: the rows the job's opening statement read with its step's claim (openSteps), which the
   * first load builds the context from instead of reading them again. A later load reads them.
   */
  constructor(
    private readonly resources: EngineResources,
    private readonly options: RunContextOptions,
    private opened: ContextRows | null = null,
  ) {}

  /**
   * The context of the step about to run, its own copy of what a step could touch. `firstStep`: the
   * step's claim was the run's first row, so there are no earlier outputs to read.
   */
  async forStep(tx: Tx, { firstStep }: { firstStep: boolean }): Promise<RunContext> {
    if (!this.context) {
      const rows = this.opened ?? undefined;
      this.opened = null;
      this.context = await this.resources.loadContext(tx, { ...this.options, firstStep, ...(rows && { rows }) });
    } else if (this.pending.length > 0) {
      this.context = await this.resources.extendContext(tx, this.context, { ...this.options, recorded: this.pending });
      this.pending = [];
    }
    return { ...this.context, steps: { ...this.context.steps } };
  }

  /**
   * A step was recorded and the job goes on to the next. A step that may have written the contact
   * without reporting it (StepEffects.changesContact) drops the context: the next step loads it whole.
   */
  recorded(step: RecordedStep, effects: StepEffects): void {
    if (effects.changesContact && step.contact === undefined) this.drop();
    else if (this.context) this.pending.push(step);
  }

  /** Whatever comes next loads the context afresh (a step was recorded without its stored output). */
  drop(): void {
    this.context = null;
    this.opened = null;
    this.pending = [];
  }
}
