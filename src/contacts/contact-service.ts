import type { Tx } from '../db/data-source';
import { ConflictError, ValidationError, type IssueDetail } from '../lib/errors';
import { parseOrThrow, toIssueDetails } from '../lib/zod-issues';
import { emitContactCreated, emitTagsAdded } from './contact-events';
import {
  contactInputSchema,
  contactPatchSchema,
  customFieldsSchema,
  NEEDS_EMAIL_OR_PHONE,
  uniqueTags,
  type Contact,
  type ContactInput,
  type ContactPatch,
} from './contact-schema';
import {
  findContactIdByEmail,
  findContactRow,
  insertContactRow,
  isUniqueViolation,
  toContact,
  updateContactRow,
  type ContactFields,
  type ContactRow,
} from './contact-store';

export { addTags, removeTag } from './contact-tags';
export { listContacts } from './contact-list';

/**
 * Contacts of an account. Every function takes the caller's transaction, so the outbox events
 * it appends commit (or roll back) together with the change.
 */
export async function createContact(tx: Tx, accountId: string, input: ContactInput): Promise<Contact> {
  const data = parseOrThrow(contactInputSchema, input);
  const tags = uniqueTags(data.tags ?? []);
  const row = await insertContactRow(tx, accountId, {
    email: data.email ?? null,
    phone: data.phone ?? null,
    firstName: data.firstName ?? null,
    lastName: data.lastName ?? null,
    timezone: data.timezone ?? null,
    tags,
    customFields: data.customFields ?? {},
    dnd: data.dnd ?? false,
  });
  if (!row) throw await duplicateEmailError(tx, accountId, data.email!);
  await emitContactCreated(tx, accountId, row.id);
  await emitTagsAdded(tx, accountId, row.id, tags);
  return toContact(row);
}

/** NotFoundError('Contact') for an unknown id, another account's id, or a string that is no uuid. */
export async function getContact(tx: Tx, accountId: string, contactId: string): Promise<Contact> {
  return toContact(await findContactRow(tx, accountId, contactId));
}

/** Replaces the given fields; new tags in a replaced `tags` set emit `contact.tag_added`. */
export async function updateContact(
  tx: Tx,
  accountId: string,
  contactId: string,
  patch: ContactPatch,
): Promise<Contact> {
  return applyPatch(tx, accountId, contactId, parseOrThrow(contactPatchSchema, patch));
}

const SETTABLE = new Set(['firstName', 'lastName', 'email', 'phone', 'timezone', 'dnd']);
const CUSTOM_PREFIX = 'customFields.';

/**
 * For the `update_contact` action: keys are `firstName`, `lastName`, `email`, `phone`, `timezone`,
 * `dnd` or `customFields.<name>`. Values are validated like the API (the key is the issue path);
 * custom fields are merged into the stored ones.
 */
export async function setContactFields(
  tx: Tx,
  accountId: string,
  contactId: string,
  set: Record<string, unknown>,
): Promise<Contact> {
  const fields: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const issues: IssueDetail[] = [];
  for (const [key, value] of Object.entries(set)) {
    if (SETTABLE.has(key)) fields[key] = value;
    else if (key.startsWith(CUSTOM_PREFIX)) custom[key.slice(CUSTOM_PREFIX.length)] = value;
    else issues.push({ path: key, message: 'not a contact field' });
  }
  const patch = contactPatchSchema.safeParse(fields);
  const customFields = customFieldsSchema.safeParse(custom);
  if (!patch.success) issues.push(...toIssueDetails(patch.error));
  if (!customFields.success) issues.push(...toIssueDetails(customFields.error, ['customFields']));
  if (!patch.success || !customFields.success || issues.length > 0) throw new ValidationError(issues);
  return applyPatch(tx, accountId, contactId, patch.data, customFields.data);
}

async function applyPatch(
  tx: Tx,
  accountId: string,
  contactId: string,
  patch: ContactPatch,
  mergeCustomFields?: Contact['customFields'],
): Promise<Contact> {
  const current = await findContactRow(tx, accountId, contactId, { forUpdate: true });
  const pick = <K extends keyof ContactPatch, V>(key: K, stored: V): Exclude<ContactPatch[K], undefined> | V =>
    patch[key] === undefined ? stored : (patch[key] as Exclude<ContactPatch[K], undefined>);
  const email = pick('email', current.email);
  const phone = pick('phone', current.phone);
  if (!email && !phone) throw new ValidationError([{ path: '', message: NEEDS_EMAIL_OR_PHONE }]);
  const tags = patch.tags ? uniqueTags(patch.tags) : current.tags;
  const customFields = mergeCustomFields
    ? { ...current.custom_fields, ...mergeCustomFields }
    : (patch.customFields ?? current.custom_fields);
  const fields: ContactFields = {
    email,
    phone,
    firstName: pick('firstName', current.first_name),
    lastName: pick('lastName', current.last_name),
    timezone: pick('timezone', current.timezone),
    tags,
    customFields,
    dnd: pick('dnd', current.dnd),
  };
  let row: ContactRow;
  try {
    // A savepoint, so that a duplicate email leaves the caller's transaction usable for the lookup.
    row = await tx.transaction((savepoint) => updateContactRow(savepoint, { accountId, contactId, fields }));
  } catch (error) {
    if (isUniqueViolation(error) && email) throw await duplicateEmailError(tx, accountId, email, contactId);
    throw error;
  }
  await emitTagsAdded(
    tx,
    accountId,
    contactId,
    tags.filter((tag) => !current.tags.includes(tag)),
  );
  return toContact(row);
}

/** The 409 for an email another contact of the account already has, naming that contact. */
async function duplicateEmailError(
  tx: Tx,
  accountId: string,
  email: string,
  exceptId?: string,
): Promise<ConflictError> {
  const existingId = await findContactIdByEmail(tx, accountId, { email, exceptId });
  return new ConflictError('A contact with this email already exists', existingId ? { existingId } : undefined);
}
