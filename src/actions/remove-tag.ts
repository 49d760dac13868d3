import { removeTag } from '../contacts/contact-service';
import { removeTagStep } from '../definition/steps/tag';
import { defineAction } from './action';
import { failFast } from './fail-fast';
import { renderTag } from './rendered-tag';

/** Takes a tag off the contact; removing a tag it does not have is not an error (`removed: false`). */
export const removeTagAction = defineAction(removeTagStep, {
  execute: async ({ config, render, deps, accountId, contactId }) => {
    const tag = renderTag(config.tag, render);
    const { removed } = await failFast(() => deps.db.transaction((tx) => removeTag(tx, accountId, contactId, tag)));
    return { kind: 'completed', output: { tag, removed } };
  },
});
