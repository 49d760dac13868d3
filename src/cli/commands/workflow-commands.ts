import { checkWorkflowsFolder } from '../workflows-check';
import type { CliCommand } from '../cli-command';

export const workflowsCheckCommand: CliCommand = {
  name: 'workflows:check',
  summary: 'Validate the workflow files of a folder (no database needed)',
  usage: 'workflows:check [dir]',
  help: [
    '[dir]  the folder (default $WORKFLOWS_DIR, else ./workflows)',
    'Lists each valid file; names the file, step path and reason of each problem. Exit 1 if any.',
  ],
  options: {},
  positionals: { min: 0, max: 1 },
  async run({ positionals }) {
    return checkWorkflowsFolder(positionals[0]);
  },
};
