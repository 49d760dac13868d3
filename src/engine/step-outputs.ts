import { toStorableJson } from '../lib/storable-json';
import type { OutputCodecs, OutputRestoreDeps } from './action-contract';

export interface StoredStepOutput {
  type: string;
  output: unknown;
}

/** The codec of a step type; none for a type no codec map knows (a row of a type since removed). */
const codecOf = (codecs: OutputCodecs, type: string) => (Object.hasOwn(codecs, type) ? codecs[type] : undefined);

/**
 * What to write to run_steps.output for a step's output (see OutputCodec.storedOutput).
 * Outputs carry what other systems said (a webhook's answer): NUL and lone surrogates, which
 * PostgreSQL's jsonb refuses, become U+FFFD, so that storing an output cannot fail the step.
 */
export function toStoredOutput(codecs: OutputCodecs, type: string, output: unknown): unknown {
  const codec = codecOf(codecs, type);
  return toStorableJson(codec?.storedOutput ? codec.storedOutput(output) : output);
}

export interface RestoreOutputsOptions extends OutputRestoreDeps {
  /** The step types' codecs: the executor map (src/actions/index.ts). */
  codecs: OutputCodecs;
}

/** Outputs as the executors returned them, from what run_steps stores; in the order given. */
export async function restoreStepOutputs(
  rows: StoredStepOutput[],
  { codecs, ...deps }: RestoreOutputsOptions,
): Promise<unknown[]> {
  const restored = rows.map((row) => row.output);
  const byType = new Map<string, number[]>();
  rows.forEach((row, index) => {
    if (row.output === null || row.output === undefined || !codecOf(codecs, row.type)?.restoreOutputs) return;
    byType.set(row.type, [...(byType.get(row.type) ?? []), index]);
  });
  for (const [type, indexes] of byType) {
    const outputs = await codecOf(codecs, type)!.restoreOutputs!(
      indexes.map((index) => rows[index]!.output),
      deps,
    );
    indexes.forEach((index, i) => (restored[index] = outputs[i]));
  }
  return restored;
}
