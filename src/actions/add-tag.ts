import { addTags } from '../contacts/contact-service';
import { defineAction } from './action';
import { failFastOnContactErrors } from './contact-errors';
import { renderTag, tagConfigSchema } from './rendered-tag';

/** Tags the contact; a new tag fires `contact.tag_added` (through the outbox, with the change). */
export const addTagAction = defineAction({
  type: 'add_tag',
  configSchema: tagConfigSchema,
  execute: async ({ config, render, deps, accountId, contactId }) => {
    const tag = renderTag(config.tag, render);
    const { added } = await failFastOnContactErrors(() =>
      deps.db.transaction((tx) => addTags(tx, accountId, contactId, [tag])),
    );
    return { kind: 'completed', output: { tag, added: added.length > 0 } };
  },
});
