import type { Container } from '../container';
import { createActionServices } from '../actions/action-deps';
import { createExecutors } from '../actions';
import { RUN_CONTEXT_COLUMNS, extendRunContext, loadRunContext } from '../actions/run-context';
import type { EngineResources } from '../engine/engine-resources';
import { createStepFinishWriter } from '../engine/step-finish-writer';
import { createStepOpenWriter } from '../engine/step-open-writer';
import { CONTACT_WRITES_IN_FINISH } from '../contacts/contact-record-writes';
import { loadWorkflowVersion } from '../workflows/workflow-repository';

/**
 * The engine's resources for one worker process, built once: every action's executor with the
 * process's services (the SMTP pool, the SMS provider, the webhook egress guard) bound in, the
 * loaders of workflow versions and run contexts, and the group commits of step openings and finishes.
 * `close` waits for the openings and finishes handed over, then releases the services.
 */
export function createEngineResources(c: Container): { resources: EngineResources; close(): Promise<void> } {
  const { services, close } = createActionServices(c);
  const executors = createExecutors({ db: c.db, config: c.config, ...services });
  const opens = createStepOpenWriter(c.db, RUN_CONTEXT_COLUMNS);
  // add_tag's and update_contact's contact writes made by the statement that records their step.
  const finishes = createStepFinishWriter(c.db, CONTACT_WRITES_IN_FINISH);
  return {
    resources: {
      executors,
      loadVersion: loadWorkflowVersion,
      loadContext: loadRunContext,
      extendContext: extendRunContext,
      opens,
      contextColumns: RUN_CONTEXT_COLUMNS,
      finishes,
    },
    close: async () => {
      await Promise.all([opens.drain(), finishes.drain()]);
      await close();
    },
  };
}
