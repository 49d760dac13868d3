import type { Tx } from '../db/data-source';
import type { Logger } from '../lib/logger';
import { findActiveWorkflowsByTrigger } from '../workflows/workflow-repository';
import { triggerMatches } from './trigger-matcher';

/** An active workflow a change would start, as the console names it. */
export interface EnrollingWorkflow {
  id: string;
  name: string;
  /** false: a contact enrolled in it before is not enrolled again. */
  allowReentry: boolean;
}

export interface TagEnrolmentPreview {
  /** For each tag, the active workflows its `contact.tag_added` starts (oldest first). */
  byTag: { tag: string; workflows: EnrollingWorkflow[] }[];
  /** Active workflows `contact.created` starts: what new contacts of an import also enter. */
  onCreate: EnrollingWorkflow[];
}

/**
 * Which active workflows adding these tags (and, for an import, creating contacts) would start:
 * the same matching the event worker does (findActiveWorkflowsByTrigger + triggerMatches), asked
 * before anything happens, so the console can say "Tagging 1,000 contacts with 'webinar' will enrol
 * them in 'Webinar follow-up'" and ask for a confirmation.
 */
export async function previewTagEnrolment(
  tx: Tx,
  accountId: string,
  tags: readonly string[],
  options: { log: Pick<Logger, 'warn'> },
): Promise<TagEnrolmentPreview> {
  const describe = (workflow: { id: string; name: string; definition: { allowReentry: boolean } }) => ({
    id: workflow.id,
    name: workflow.name,
    allowReentry: workflow.definition.allowReentry,
  });
  const tagged = tags.length > 0 ? await findActiveWorkflowsByTrigger(tx, accountId, 'contact.tag_added', options) : [];
  const created = await findActiveWorkflowsByTrigger(tx, accountId, 'contact.created', options);
  return {
    byTag: tags.map((tag) => ({
      tag,
      workflows: tagged
        .filter((workflow) => triggerMatches(workflow.definition.trigger, { type: 'contact.tag_added', data: { tag } }))
        .map(describe),
    })),
    onCreate: created.map(describe),
  };
}
