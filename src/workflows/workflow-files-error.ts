/** One thing wrong with one workflow file. `path` is empty when the problem is the whole file. */
export interface WorkflowFileProblem {
  /** The file, relative to the working directory (`workflows/foo.yaml`). */
  file: string;
  path: string;
  message: string;
}

export const formatProblem = (problem: WorkflowFileProblem): string =>
  [problem.file, problem.path, problem.message].filter(Boolean).join(': ');

/** The workflow files cannot be used as they are; names every problem in every file at once. */
export class WorkflowFilesError extends Error {
  override readonly name = 'WorkflowFilesError';
  constructor(readonly problems: WorkflowFileProblem[]) {
    super(`Invalid workflow files:\n${problems.map((problem) => `  ${formatProblem(problem)}`).join('\n')}`);
  }
}
