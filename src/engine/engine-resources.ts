import type { ContextExtender, ContextLoader, StepExecutors, VersionLoader } from './action-contract';

/**
 * Everything the engine needs from the layers above it, built once per worker process by the worker
 * role (src/roles/engine-resources.ts) and passed to every step, timer and sweep: the engine itself
 * imports no action, workflow store or domain service.
 */
export interface EngineResources {
  /** One executor per step type, with their services (messaging, the egress guard) bound in. */
  executors: StepExecutors;
  loadVersion: VersionLoader;
  loadContext: ContextLoader;
  /** Carries a loaded context past the steps a job runs inline (see chain-context.ts). */
  extendContext: ContextExtender;
}
