import { retryRun } from '../../engine/run-retry';
import { loadWorkflowVersion } from '../../workflows/workflow-repository';
import { withServices } from '../cli-services';
import { EXIT, type CliCommand } from '../cli-command';

export const runsRetryCommand: CliCommand = {
  name: 'runs:retry',
  summary: 'Retry a failed run from its failed step',
  usage: 'runs:retry <runId>',
  help: [
    '<runId>  a failed run of any account',
    'The failed step runs again (with the same idempotency key) and the run goes on from there.',
    'A run that is not failed is refused (exit 1).',
  ],
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ positionals, out }) {
    const runId = positionals[0]!;
    const retried = await withServices({ redis: true }, (c) =>
      retryRun(c, { runId, loadVersion: loadWorkflowVersion }),
    );
    out.print(`run ${retried.runId} retried from step '${retried.stepId}' (job ${retried.jobId})`);
    return EXIT.ok;
  },
};
