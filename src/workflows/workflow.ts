import { definitionShapeSchema, type WorkflowDefinition } from '../definition/definition-schema';
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

/** A workflows row joined with its current version's definition. */
export interface WorkflowRow {
  id: string;
  account_id: string;
  slug: string;
  name: string;
  status: WorkflowStatus;
  version: number;
  trigger_type: string;
  source: WorkflowSource;
  file_checksum: string | null;
  created_at: Date;
  updated_at: Date;
  definition: unknown;
}

export function toWorkflow(row: WorkflowRow): Workflow {
  // Stored versions were validated when written; reading only the shape keeps an old version
  // viewable even if an action's config rules have tightened since.
  const shape = definitionShapeSchema.safeParse(row.definition);
  const raw = (row.definition ?? {}) as { trigger?: Trigger; allowReentry?: boolean };
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    version: row.version,
    trigger: shape.success ? shape.data.trigger : (raw.trigger as Trigger),
    allowReentry: shape.success ? shape.data.allowReentry : raw.allowReentry === true,
    source: row.source,
    definition: row.definition,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
