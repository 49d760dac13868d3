import { addTags, tagsToAdd } from '../contacts/contact-service';
import { contactOfRecordedRow, tagsWriteJson } from '../contacts/contact-record-writes';
import { isUuid } from '../contacts/contact-store';
import { addTagStep } from '../definition/steps/tag';
import type { ActionOutcome } from '../engine/action-contract';
import { defineAction } from './action';
import { failFast } from './fail-fast';
import { renderTag } from './rendered-tag';

/** Tags the contact; a new tag fires `contact.tag_added` (through the outbox, with the change). */
export const addTagAction = defineAction(addTagStep, {
  changesContact: true,
  execute: async ({ config, render, deps, accountId, contactId, contactChanged, recordsContactWrites }) => {
    const tag = renderTag(config.tag, render);
    // One statement (the tag, its event), shared with the process's other steps' when it has a batch.
    const writeIt = async (): Promise<ActionOutcome> => {
      const { added, contact } = await failFast(() =>
        addTags(deps.db.manager, accountId, contactId, [tag], { batch: deps.contactWrites }),
      );
      contactChanged?.(contact);
      return { kind: 'completed', output: { tag, added: added.length > 0 } };
    };
    if (!recordsContactWrites || !isUuid(contactId)) return writeIt();
    // Written by the statement that records the step, which adds `added` to the output.
    const tags = await failFast(async () => tagsToAdd([tag]));
    return {
      kind: 'completed',
      output: { tag },
      contactWrite: { write: tagsWriteJson(tags), contactOf: contactOfRecordedRow, otherwise: writeIt },
    };
  },
});
