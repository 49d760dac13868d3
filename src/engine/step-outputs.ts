import { getAction } from '../actions/registry';
import type { OutputRestoreDeps } from '../actions/action';
import { toStorableJson } from '../lib/storable-json';

export interface StoredStepOutput {
  type: string;
  output: unknown;
}

/**
 * What to write to run_steps.output for an action's output (see ActionDefinition.storedOutput).
 * Outputs carry what other systems said (a webhook's answer): NUL and lone surrogates, which
 * PostgreSQL's jsonb refuses, become U+FFFD, so that storing an output cannot fail the step.
 */
export function toStoredOutput(type: string, output: unknown): unknown {
  const action = getAction(type);
  return toStorableJson(action?.storedOutput ? action.storedOutput(output) : output);
}

/** Outputs as the actions returned them, from what run_steps stores; in the order given. */
export async function restoreStepOutputs(rows: StoredStepOutput[], deps: OutputRestoreDeps): Promise<unknown[]> {
  const restored = rows.map((row) => row.output);
  const byType = new Map<string, number[]>();
  rows.forEach((row, index) => {
    if (row.output === null || row.output === undefined || !getAction(row.type)?.restoreOutputs) return;
    byType.set(row.type, [...(byType.get(row.type) ?? []), index]);
  });
  for (const [type, indexes] of byType) {
    const outputs = await getAction(type)!.restoreOutputs!(indexes.map((index) => rows[index]!.output), deps);
    indexes.forEach((index, i) => (restored[index] = outputs[i]));
  }
  return restored;
}
