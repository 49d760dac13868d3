import type { WorkflowDefinition } from '../definition/definition-schema';
import type { Trigger } from '../definition/trigger-schema';

export type WorkflowStatus = 'active' | 'draft';
export type WorkflowSource = 'file' | 'api';

/** A workflow as the API shows it: the row plus what its current version says. */
export interface Workflow {
  id: string;
  slug: string;
  name: string;
  status: WorkflowStatus;
  /** The current version; every update adds one. */
  version: number;
  trigger: Trigger;
  allowReentry: boolean;
  source: WorkflowSource;
  /** The current version's definition exactly as it was given (file or API body). */
  definition: unknown;
  createdAt: Date;
  updatedAt: Date;
}

/** What the trigger processing needs of a workflow that may enrol contacts. */
export interface ActiveWorkflow {
  id: string;
  slug: string;
  name: string;
  version: number;
  definition: WorkflowDefinition;
}
