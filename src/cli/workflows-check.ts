/**
 * Checks the workflow files of a folder without touching a database or Redis: for CI and before a
 * deploy. `npm run workflows:check [dir]` (or `npm run cli -- workflows:check [dir]`); the folder
 * defaults to $WORKFLOWS_DIR, else ./workflows. Exit 0 when every file is valid, 1 when any is not
 * (or the folder does not exist).
 */
import { loadTemplates } from '../messaging/template-store';
import { checkWorkflowFiles } from '../workflows/workflow-files';
import { formatProblem } from '../workflows/workflow-files-error';

/** Checks the folder, printing each file's outcome; resolves with the exit code. */
export async function checkWorkflowsFolder(dirArgument?: string): Promise<number> {
  // The one place besides config/env.ts that reads the environment: this tool must not need the rest of it.
  const dir = dirArgument || process.env.WORKFLOWS_DIR || './workflows';
  // Send steps naming a template are checked against the templates folder, as at start-up.
  await loadTemplates(process.env.TEMPLATES_DIR || './templates');
  const { found, files, problems } = await checkWorkflowFiles(dir);
  if (!found) {
    console.error(`${dir}: no such directory`);
    return 1;
  }
  for (const file of files) {
    console.log(`ok  ${file.file} (${file.definition.id}, ${file.definition.steps.length} steps)`);
  }
  for (const problem of problems) console.error(formatProblem(problem));
  if (files.length === 0 && problems.length === 0) console.log(`no workflow files in ${dir}`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  checkWorkflowsFolder(process.argv[2]).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
