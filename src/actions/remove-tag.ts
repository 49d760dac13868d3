import { removeTag } from '../contacts/contact-service';
import { defineAction } from './action';
import { failFastOnContactErrors } from './contact-errors';
import { renderTag, tagConfigSchema } from './rendered-tag';

/** Takes a tag off the contact; removing a tag it does not have is not an error (`removed: false`). */
export const removeTagAction = defineAction({
  type: 'remove_tag',
  configSchema: tagConfigSchema,
  execute: async ({ config, render, deps, accountId, contactId }) => {
    const tag = renderTag(config.tag, render);
    const { removed } = await failFastOnContactErrors(() =>
      deps.db.transaction((tx) => removeTag(tx, accountId, contactId, tag)),
    );
    return { kind: 'completed', output: { tag, removed } };
  },
});
