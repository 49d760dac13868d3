import { removeTag } from '../contacts/contact-service';
import { removeTagStep } from '../definition/steps/tag';
import { defineAction } from './action';
import { failFast } from './fail-fast';
import { renderTag } from './rendered-tag';

/** Takes a tag off the contact; removing a tag it does not have is not an error (`removed: false`). */
export const removeTagAction = defineAction(removeTagStep, {
  changesContact: true,
  execute: async ({ config, render, deps, accountId, contactId, contactChanged }) => {
    const tag = renderTag(config.tag, render);
    const { removed, contact } = await failFast(() => removeTag(deps.db.manager, accountId, contactId, tag));
    contactChanged?.(contact);
    return { kind: 'completed', output: { tag, removed } };
  },
});
