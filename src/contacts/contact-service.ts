import type { Tx } from '../db/data-source';
import { ConflictError, NotFoundError, ValidationError, type IssueDetail } from '../lib/errors';
import { parseOrThrow, toIssueDetails } from '../lib/zod-issues';
import { currentLane } from '../events/event-lane';
import { contactCreatedEvents, emitTagsAdded } from './contact-events';
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
  isUniqueViolation,
  isUuid,
  toContact,
  updateContactRow,
  type ContactFields,
  type ContactRow,
} from './contact-store';
import { insertContactWithEvents, setContactColumns } from './contact-write-store';
import type { ContactWriteBatch } from './contact-write-batch';

export { addTags, removeTag, tagsToAdd } from './contact-tags';
export { listContacts } from './contact-list';

/**
 * Contacts of an account. Every function takes the caller's entity manager: a transaction, whose
 * outbox events commit (or roll back) together with the change, or `db.manager`. The writes the
 * hot path takes (createContact, addTags, removeTag, setContactFields) are one statement each that
 * writes the change and its events together, so they need no transaction of their own.
 */
export async function createContact(
  tx: Tx,
  accountId: string,
  input: ContactInput,
  options: { batch?: ContactWriteBatch } = {},
): Promise<Contact> {
  const data = parseOrThrow(contactInputSchema, input);
  const tags = uniqueTags(data.tags ?? []);
  const write = {
    accountId,
    fields: {
      email: data.email ?? null,
      phone: data.phone ?? null,
      firstName: data.firstName ?? null,
      lastName: data.lastName ?? null,
      timezone: data.timezone ?? null,
      tags,
      customFields: data.customFields ?? {},
      dnd: data.dnd ?? false,
    },
    events: contactCreatedEvents(tags),
    lane: currentLane(),
  };
  // With `batch` (outside a transaction only: POST /contacts) it shares a statement (contact-write-batch.ts).
  const row = options.batch ? await options.batch.inserts.submit(write) : await insertContactWithEvents(tx, write);
  if (!row) throw await duplicateEmailError(tx, accountId, data.email!);
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
 * `update_contact`'s `set` checked and split (see setContactFields): the contact's own fields, absent
 * ones undefined, and its custom fields by name. A bad key or value is a ValidationError naming it.
 */
export function contactFieldsChange(set: Record<string, unknown>): {
  set: Pick<ContactPatch, 'email' | 'phone' | 'firstName' | 'lastName' | 'timezone' | 'dnd'>;
  customFields: Contact['customFields'];
} {
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
  const { email, phone, firstName, lastName, timezone, dnd } = patch.data;
  return { set: { email, phone, firstName, lastName, timezone, dnd }, customFields: customFields.data };
}

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
  options: { batch?: ContactWriteBatch } = {},
): Promise<Contact> {
  const { set: given, customFields } = contactFieldsChange(set);
  if (!isUuid(contactId)) throw new NotFoundError('Contact');
  const { email } = given;
  const change = { accountId, contactId, set: given, customFields };
  const write = (manager: Tx) => setContactColumns(manager, change);
  let row: ContactRow | null;
  try {
    // Only a taken email fails the statement; inside a caller's transaction a savepoint keeps that
    // transaction usable for the lookup of the 409 (outside one, the failed statement is all that ran).
    // With `batch` (outside a transaction only: a worker's steps) it shares a statement (contact-write-batch.ts).
    if (options.batch) row = await options.batch.setColumns.submit(change);
    else row = email && tx.queryRunner?.isTransactionActive ? await tx.transaction(write) : await write(tx);
  } catch (error) {
    if (isUniqueViolation(error) && email) throw await duplicateEmailError(tx, accountId, email, contactId);
    throw error;
  }
  if (row) return toContact(row);
  await findContactRow(tx, accountId, contactId); // NotFoundError when it is not the account's contact
  throw new ValidationError([{ path: '', message: NEEDS_EMAIL_OR_PHONE }]);
}

/** The API's PATCH: `tags` replaces the set (new tags emit `contact.tag_added`), `customFields` the map. */
async function applyPatch(tx: Tx, accountId: string, contactId: string, patch: ContactPatch): Promise<Contact> {
  const current = await findContactRow(tx, accountId, contactId, { forUpdate: true });
  const pick = <K extends keyof ContactPatch, V>(key: K, stored: V): Exclude<ContactPatch[K], undefined> | V =>
    patch[key] === undefined ? stored : (patch[key] as Exclude<ContactPatch[K], undefined>);
  const email = pick('email', current.email);
  const phone = pick('phone', current.phone);
  if (!email && !phone) throw new ValidationError([{ path: '', message: NEEDS_EMAIL_OR_PHONE }]);
  const tags = patch.tags ? uniqueTags(patch.tags) : current.tags;
  const customFields = patch.customFields ?? current.custom_fields;
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
