import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { outboxInsertCte } from '../events/outbox-store';
import type { RunLane } from '../queue/run-lanes';
import type { Contact } from './contact-schema';
import { CONTACT_COLUMNS, fieldParams, type ContactFields, type ContactRow } from './contact-store';

/*
 * The contacts table's writes on a run's hot path (POST /contacts, add_tag, remove_tag,
 * update_contact), one statement each: the change and the outbox events it fires are written by
 * the same statement, so they commit together with no transaction around the call (and inside a
 * caller's transaction, with it). contact-store.ts holds the table's row type and other statements.
 */

/** An event of a contact write, for the contact the statement writes (its id is filled in there). */
export interface ContactEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Inserts a contact and, in the same statement, its `events` into the outbox in order: the events
 * commit exactly with the contact, with or without a transaction around the call. Null, and no
 * event, when the account already has a contact with this email. ON CONFLICT waits for a
 * concurrent insert of the same email to commit, then does nothing: two racing requests give one
 * contact and one null, without aborting the caller's transaction.
 */
export async function insertContactWithEvents(
  tx: Tx,
  options: { accountId: string; fields: ContactFields; events: ContactEvent[]; lane: RunLane },
): Promise<ContactRow | null> {
  const rows = await queryRows<ContactRow & { events: number }>(
    tx,
    `WITH inserted AS (
       INSERT INTO contacts (account_id, email, phone, first_name, last_name, timezone, tags, custom_fields, dnd)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (account_id, lower(email)) WHERE email IS NOT NULL DO NOTHING
       RETURNING account_id, ${CONTACT_COLUMNS}
     ),
     ${outboxInsertCte({
       name: 'outbox',
       laneParam: '$11',
       source: `SELECT i.account_id, e.event->>'type' AS type, i.id AS contact_id, e.event->'data' AS data, e.n
                  FROM inserted i, jsonb_array_elements($10::jsonb) WITH ORDINALITY AS e(event, n)`,
     })}
     SELECT ${CONTACT_COLUMNS}, (SELECT count(*) FROM outbox)::int AS events FROM inserted`,
    [options.accountId, ...fieldParams(options.fields), JSON.stringify(options.events), options.lane],
    { prepare: 'contact-insert', group: true },
  );
  return rows[0] ?? null;
}

/** The columns `update_contact` may set (setContactColumns), by their keys in ContactFields. */
export const SETTABLE_COLUMNS = {
  email: 'email',
  phone: 'phone',
  firstName: 'first_name',
  lastName: 'last_name',
  timezone: 'timezone',
  dnd: 'dnd',
} as const;
export type SettableContactField = keyof typeof SETTABLE_COLUMNS;

/** `set` by column name, its absent (undefined) fields left out: what the statements' JSON carries. */
export function settableColumnsOf(
  set: Partial<Record<SettableContactField, string | boolean | null | undefined>>,
): Record<string, string | boolean | null> {
  return Object.fromEntries(
    Object.entries(set)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [SETTABLE_COLUMNS[key as SettableContactField], value as string | boolean | null]),
  );
}

/** The column as `$3` (a JSON object by column name) sets it: its value when the key is there (null clears it), else as stored. */
const setOrKeep = (column: string, cast = ''): string =>
  `CASE WHEN $3::jsonb ? '${column}' THEN ($3::jsonb->>'${column}')${cast} ELSE ${column} END`;

/**
 * The `update_contact` action's write in one statement, no lock taken before: the fields in `set`
 * replace the stored ones (null clears one), the others stay as stored, and `customFields` are
 * merged into the stored ones (`||`). Everything is decided under the row lock the UPDATE takes,
 * so a concurrent edit of another field is never overwritten. Null, with nothing written, when the
 * account has no such contact or the change would leave it with neither an email nor a phone; a
 * taken email throws the unique violation. It fires no event: `update_contact` cannot set tags.
 */
export async function setContactColumns(
  tx: Tx,
  options: {
    accountId: string;
    contactId: string;
    /** The fields to set; an absent (or undefined) one stays as stored. */
    set: Partial<Record<SettableContactField, string | boolean | null | undefined>>;
    customFields: Contact['customFields'];
  },
): Promise<ContactRow | null> {
  const set = settableColumnsOf(options.set);
  const rows = await queryRows<ContactRow>(
    tx,
    `UPDATE contacts SET email = ${setOrKeep('email')}, phone = ${setOrKeep('phone')},
       first_name = ${setOrKeep('first_name')}, last_name = ${setOrKeep('last_name')},
       timezone = ${setOrKeep('timezone')}, dnd = ${setOrKeep('dnd', '::boolean')},
       custom_fields = custom_fields || $4::jsonb, updated_at = now()
     WHERE id = $1 AND account_id = $2 AND (${setOrKeep('email')} IS NOT NULL OR ${setOrKeep('phone')} IS NOT NULL)
     RETURNING ${CONTACT_COLUMNS}`,
    [options.contactId, options.accountId, JSON.stringify(set), JSON.stringify(options.customFields)],
    { prepare: 'contact-set', group: true },
  );
  return rows[0] ?? null;
}

/**
 * Tags, no transaction needed: `current` locks the
 * row (FOR UPDATE waits for a concurrent writer and then reads its committed tags), the UPDATE
 * changes the row only when there is something to change, and the events of the tags really added
 * go into the outbox in the same statement, so they commit exactly with the change. Two concurrent
 * calls adding the same tag therefore add and emit it once. The answer is the contact as changed,
 * or as it stands when nothing changed; no row when the account has no such contact.
 */
const LOCKED_CONTACT = `current AS MATERIALIZED (
       SELECT account_id, ${CONTACT_COLUMNS} FROM contacts WHERE id = $1 AND account_id = $2 FOR UPDATE
     )`;
/** The FROM … WHERE of the answer when the UPDATE changed nothing: the locked row as it stands. */
const UNCHANGED = 'FROM current WHERE NOT EXISTS (SELECT 1 FROM updated)';

/**
 * Appends the tags of `tags` (unique, normalised) the contact does not have yet, in order, and one
 * `contact.tag_added` `{tag}` per tag appended (emitTagsAdded's event). `added`: those tags;
 * `events`: how many events the statement wrote.
 */
export async function addContactTags(
  tx: Tx,
  options: { accountId: string; contactId: string; tags: string[]; lane: RunLane },
): Promise<(ContactRow & { added: string[]; events: number }) | null> {
  const rows = await queryRows<ContactRow & { added: string[]; events: number }>(
    tx,
    `WITH ${LOCKED_CONTACT},
     added AS MATERIALIZED (
       SELECT w.tag, w.n FROM current, unnest($3::text[]) WITH ORDINALITY AS w(tag, n) WHERE w.tag <> ALL (current.tags)
     ),
     updated AS (
       UPDATE contacts SET tags = tags || ARRAY(SELECT tag FROM added ORDER BY n), updated_at = now()
        WHERE id = $1 AND account_id = $2 AND EXISTS (SELECT 1 FROM added)
       RETURNING ${CONTACT_COLUMNS}
     ),
     ${outboxInsertCte({
       name: 'outbox',
       laneParam: '$4',
       source: `SELECT c.account_id, 'contact.tag_added' AS type, c.id AS contact_id, jsonb_build_object('tag', a.tag) AS data, a.n
                  FROM current c, added a WHERE EXISTS (SELECT 1 FROM updated)`,
     })}
     SELECT ${CONTACT_COLUMNS}, ARRAY(SELECT tag FROM added ORDER BY n) AS added, (SELECT count(*) FROM outbox)::int AS events
       FROM updated
     UNION ALL
     SELECT ${CONTACT_COLUMNS}, '{}'::text[], 0 ${UNCHANGED}`,
    [options.contactId, options.accountId, options.tags, options.lane],
    { prepare: 'contact-add-tags', group: true },
  );
  return rows[0] ?? null;
}

/** Takes `tag` off the contact when it has it (`removed`); no event. */
export async function removeContactTag(
  tx: Tx,
  options: { accountId: string; contactId: string; tag: string },
): Promise<(ContactRow & { removed: boolean }) | null> {
  const rows = await queryRows<ContactRow & { removed: boolean }>(
    tx,
    `WITH ${LOCKED_CONTACT},
     updated AS (
       UPDATE contacts SET tags = array_remove(tags, $3::text), updated_at = now()
        WHERE id = $1 AND account_id = $2 AND EXISTS (SELECT 1 FROM current WHERE $3::text = ANY (current.tags))
       RETURNING ${CONTACT_COLUMNS}
     )
     SELECT ${CONTACT_COLUMNS}, true AS removed FROM updated
     UNION ALL
     SELECT ${CONTACT_COLUMNS}, false ${UNCHANGED}`,
    [options.contactId, options.accountId, options.tag],
    { prepare: 'contact-remove-tag', group: true },
  );
  return rows[0] ?? null;
}
