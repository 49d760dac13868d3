import { addTags } from '../contacts/contact-service';
import { addTagStep } from '../definition/steps/tag';
import { defineAction } from './action';
import { failFast } from './fail-fast';
import { renderTag } from './rendered-tag';

/** Tags the contact; a new tag fires `contact.tag_added` (through the outbox, with the change). */
export const addTagAction = defineAction(addTagStep, {
  changesContact: true,
  execute: async ({ config, render, deps, accountId, contactId, contactChanged }) => {
    const tag = renderTag(config.tag, render);
    // One statement (the tag, its event), shared with the process's other steps' when it has a batch.
    const { added, contact } = await failFast(() =>
      addTags(deps.db.manager, accountId, contactId, [tag], { batch: deps.contactWrites }),
    );
    contactChanged?.(contact);
    return { kind: 'completed', output: { tag, added: added.length > 0 } };
  },
});
