import type { Container } from '../container';
import { createActionServices } from '../actions/action-deps';
import { createExecutors } from '../actions';
import { RUN_CONTEXT_COLUMNS, extendRunContext, loadRunContext } from '../actions/run-context';
import type { EngineResources } from '../engine/engine-resources';
import { createStepFinishWriter } from '../engine/step-finish-writer';
import { loadWorkflowVersion } from '../workflows/workflow-repository';

/**
 * The engine's resources for one worker process, built once: every action's executor with the
 * process's services (the SMTP pool, the SMS provider, the webhook egress guard) bound in, and the
 * loaders of workflow versions and run contexts, the group commit of step finishes. `close` waits for
 * the finishes handed over, then releases the services.
 */
export function createEngineResources(c: Container): { resources: EngineResources; close(): Promise<void> } {
  const { services, close } = createActionServices(c);
  const executors = createExecutors({ db: c.db, config: c.config, ...services });
  const finishes = createStepFinishWriter(c.db);
  return {
    resources: {
      executors,
      loadVersion: loadWorkflowVersion,
      loadContext: loadRunContext,
      extendContext: extendRunContext,
      contextColumns: RUN_CONTEXT_COLUMNS,
      finishes,
    },
    close: async () => {
      await finishes.drain();
      await close();
    },
  };
}
