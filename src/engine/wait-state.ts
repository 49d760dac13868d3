/**
 * What a waiting step waits for, kept in its run_steps output under `wait`: written when the step
 * starts waiting, read by the timer, the event that resumes it and the redelivery path. The event
 * processor also filters on `output->'wait'->>'calendar'` in SQL (src/triggers/event-processor.ts).
 */
export interface WaitState {
  event: string | null;
  /** Only this calendar's (slug or id) booking events end the wait. */
  calendar?: string;
  /** ISO date-time of the timeout; null: no timer. */
  until: string | null;
  onEvent?: string;
  onTimeout?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The step's output with its wait state added. */
export function withWaitState(output: unknown, wait: WaitState): Record<string, unknown> {
  return { ...(isObject(output) ? output : {}), wait };
}

/** The wait state of a stored step output; null when it has none. */
export function waitStateOf(output: unknown): WaitState | null {
  if (!isObject(output) || !isObject(output.wait)) return null;
  return output.wait as unknown as WaitState;
}
