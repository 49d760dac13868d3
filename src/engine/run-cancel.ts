import type { Tx } from '../db/data-source';
import { markRunCancelled } from './run-store';
import { cancelLiveSteps } from './run-step-store';

/** Cancels a live run and its waiting/running step. Returns false when the run had already ended. */
export async function cancelRun(tx: Tx, runId: string): Promise<boolean> {
  if (!(await markRunCancelled(tx, runId))) return false;
  await cancelLiveSteps(tx, runId);
  return true;
}
