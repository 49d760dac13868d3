import { contactFieldsChange, setContactFields } from '../contacts/contact-service';
import { columnsWriteJson, contactOfRecordedRow } from '../contacts/contact-record-writes';
import { isUuid } from '../contacts/contact-store';
import { updateContactStep } from '../definition/steps/update-contact';
import type { ActionOutcome } from '../engine/action-contract';
import { defineAction } from './action';
import { failFast } from './fail-fast';

/** A template renders to text; `dnd` is a boolean, so a rendered `true`/`false` becomes one. */
function renderValue(key: string, value: string | number | boolean | null, render: (t: string) => string): unknown {
  if (typeof value !== 'string') return value;
  const text = render(value);
  if (key === 'dnd' && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
  return text;
}

/** Sets the contact's fields (custom fields by name); templates render first. */
export const updateContactAction = defineAction(updateContactStep, {
  changesContact: true,
  execute: async ({ config, render, deps, accountId, contactId, contactChanged, recordsContactWrites }) => {
    const updated = Object.fromEntries(
      Object.entries(config.set).map(([key, value]) => [key, renderValue(key, value, render)]),
    );
    // One statement (setContactFields needs no transaction of its own), shared with the process's other steps' when it has a batch.
    const writeIt = async (): Promise<ActionOutcome> => {
      const contact = await failFast(() =>
        setContactFields(deps.db.manager, accountId, contactId, updated, { batch: deps.contactWrites }),
      );
      contactChanged?.(contact);
      return { kind: 'completed', output: { updated } };
    };
    // A new email may be taken: its 409 is this path's to explain, so such a change writes itself.
    if (!recordsContactWrites || 'email' in updated || !isUuid(contactId)) return writeIt();
    const change = await failFast(async () => contactFieldsChange(updated));
    return {
      kind: 'completed',
      output: { updated },
      contactWrite: {
        write: columnsWriteJson(change.set, change.customFields),
        contactOf: contactOfRecordedRow,
        otherwise: writeIt,
      },
    };
  },
});
