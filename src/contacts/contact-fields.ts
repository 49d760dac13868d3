import type { Contact } from './contact-schema';

/**
 * The contact's own fields, as the builder's pickers offer them: in conditions as `contact.<name>`,
 * in "Update contact" as `<name>` (when settable). Custom fields are `customFields.<name>`.
 */
export interface BuiltInContactField {
  name: string;
  label: string;
  type: 'text' | 'boolean' | 'list';
  /** "Update contact" may set it (see CONTACT_FIELD_KEY in definition/steps/update-contact.ts). */
  settable: boolean;
}

export const BUILT_IN_CONTACT_FIELDS: readonly BuiltInContactField[] = [
  { name: 'firstName', label: 'First name', type: 'text', settable: true },
  { name: 'lastName', label: 'Last name', type: 'text', settable: true },
  { name: 'email', label: 'Email', type: 'text', settable: true },
  { name: 'phone', label: 'Phone', type: 'text', settable: true },
  { name: 'timezone', label: 'Time zone', type: 'text', settable: true },
  { name: 'dnd', label: 'Do not disturb', type: 'boolean', settable: true },
  { name: 'tags', label: 'Tags', type: 'list', settable: false },
];

/**
 * The contact as templates see it (workflow steps and booking emails): its own fields, plus the
 * spellings marketers bring from other tools, `{{contact.first_name}}`, `last_name`, `full_name`
 * (and `fullName`), `custom_fields`.
 */
export function contactMergeFields(contact: Contact): Record<string, unknown> {
  const fullName = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return {
    ...contact,
    first_name: contact.firstName,
    last_name: contact.lastName,
    full_name: fullName,
    fullName,
    custom_fields: contact.customFields,
  };
}
