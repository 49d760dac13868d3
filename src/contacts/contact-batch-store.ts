import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { outboxInsertCte, writesOutboxInsertCte } from '../events/outbox-store';
import type { RunLane } from '../queue/run-lanes';
import { CONTACT_COLUMNS, type ContactFields, type ContactRow } from './contact-store';
import {
  SETTABLE_COLUMNS,
  settableColumnsOf,
  type ContactEvent,
  type SettableContactField,
} from './contact-write-store';

/*
 * The multi-row forms of the contact writes on a run's hot path (POST /contacts, add_tag, update_contact), for the
 * group commit of contact-write-batch.ts: many contacts' writes in one statement, each exactly as its
 * one-row form in contact-write-store.ts writes it (same locks, same checks, same events). No two
 * writes of a batch may be of one contact (a statement may not change a row twice); rows are locked
 * in contact id order, as every batch locks them.
 */

/** One contact's add-tags write: `tags` unique and normalised. */
export interface ContactTagsWrite {
  accountId: string;
  contactId: string;
  tags: string[];
  lane: RunLane;
}

/** The contact as changed (or as it stands when nothing changed), and the tags really added. */
export type TaggedContactRow = ContactRow & { added: string[] };

/** One contact's update_contact write (setContactColumns' options). */
export interface ContactColumnsWrite {
  accountId: string;
  contactId: string;
  set: Partial<Record<SettableContactField, string | boolean | null | undefined>>;
  customFields: Record<string, unknown>;
}

/** One new contact (insertContactWithEvents' options). */
export interface ContactInsertWrite {
  accountId: string;
  fields: ContactFields;
  events: ContactEvent[];
  lane: RunLane;
}

/** `CONTACT_COLUMNS` of the row aliased `alias`. */
export const columnsOf = (alias: string): string =>
  CONTACT_COLUMNS.split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');

/** The writes' own rows, numbered from 0 in their order, with their contacts locked in id order. */
const lockedContacts = (writeColumns: string, writeTypes: string) => `w AS (
       SELECT (w.n - 1)::int AS n, w.contact_id, w.account_id, ${writeColumns
         .split(', ')
         .map((column) => `w.${column}`)
         .join(', ')}
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS w(contact_id, account_id, ${writeColumns}, n)
     ),
     current AS MATERIALIZED (
       SELECT w.n, ${writeTypes}, c.account_id, ${columnsOf('c')}
       FROM w JOIN contacts c ON c.id = w.contact_id AND c.account_id = w.account_id
       ORDER BY c.id
       FOR UPDATE OF c
     )`;

/**
 * The outbox CTE `name` of one `contact.tag_added` `{tag}` per row `a` of `from` (columns `n`, the
 * write's place; `k`, the tag's; `id`, `account_id`, `lane`, `tag`), in write order, then tag order.
 */
export const tagAddedEventsCte = (name: string, from: string): string =>
  outboxInsertCte({
    name,
    laneParam: 'e.lane',
    source: `SELECT a.account_id, 'contact.tag_added' AS type, a.id AS contact_id, jsonb_build_object('tag', a.tag) AS data,
                    a.lane, row_number() OVER (ORDER BY a.n, a.k) AS n
               FROM ${from}`,
  });

/**
 * addContactTags for many contacts in one statement: each contact is locked, the tags of its write
 * that it does not have yet are appended in order, and one `contact.tag_added` `{tag}` per tag
 * appended goes into the outbox in the same statement, on the write's lane. One answer per write, in
 * order: the contact as changed (or as it stands, `added` empty), or null when its account has no
 * such contact.
 */
export async function addTagsToContacts(tx: Tx, writes: ContactTagsWrite[]): Promise<(TaggedContactRow | null)[]> {
  if (writes.length === 0) return [];
  const rows = await queryRows<TaggedContactRow & { n: number }>(
    tx,
    `WITH ${lockedContacts('wanted, lane', 'w.wanted::jsonb AS wanted, w.lane')},
     added AS MATERIALIZED (
       SELECT cur.n, cur.id, cur.account_id, cur.lane, t.tag, t.k
       FROM current cur, jsonb_array_elements_text(cur.wanted) WITH ORDINALITY AS t(tag, k)
       WHERE t.tag <> ALL (cur.tags)
     ),
     updated AS (
       UPDATE contacts c SET tags = c.tags || ARRAY(SELECT a.tag FROM added a WHERE a.n = cur.n ORDER BY a.k), updated_at = now()
       FROM current cur
       WHERE c.id = cur.id AND EXISTS (SELECT 1 FROM added a WHERE a.n = cur.n)
       RETURNING cur.n, ${columnsOf('c')}
     ),
     ${tagAddedEventsCte('outbox', 'added a')}
     SELECT u.n, ${columnsOf('u')}, ARRAY(SELECT a.tag FROM added a WHERE a.n = u.n ORDER BY a.k) AS added FROM updated u
     UNION ALL
     SELECT cur.n, ${columnsOf('cur')}, '{}'::text[] FROM current cur WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.n = cur.n)`,
    [
      writes.map((write) => write.contactId),
      writes.map((write) => write.accountId),
      writes.map((write) => JSON.stringify(write.tags)),
      writes.map((write) => write.lane),
    ],
    { prepare: 'contact-add-tags-batch' },
  );
  return answersByN(writes.length, rows);
}

/**
 * The column as `changes` (the SQL of a write's `set`: a JSON object by column name) sets it: its value
 * when the key is there, else as stored in the row `c`.
 */
const setOrKeepFrom = (changes: string, column: string, cast = ''): string =>
  `CASE WHEN ${changes} ? '${column}' THEN (${changes}->>'${column}')${cast} ELSE c.${column} END`;

/** update_contact's SET list: every settable column of the row `c` as `changes` sets it. */
export const settableColumnsSetFrom = (changes: string): string =>
  Object.values(SETTABLE_COLUMNS)
    .map((column) => `${column} = ${setOrKeepFrom(changes, column, column === 'dnd' ? '::boolean' : '')}`)
    .join(', ');

/** Whether the row `c` keeps an email or a phone once `changes` is applied (a contact needs one). */
export const keepsEmailOrPhoneFrom = (changes: string): string =>
  `(${setOrKeepFrom(changes, 'email')} IS NOT NULL OR ${setOrKeepFrom(changes, 'phone')} IS NOT NULL)`;

/**
 * setContactColumns for many contacts in one statement: each contact is locked, the fields of its
 * write's `set` replace the stored ones (null clears one), its `customFields` are merged into the
 * stored ones. One answer per write, in order: the contact as changed, or null, with nothing written,
 * when its account has no such contact or the change would leave it with neither an email nor a
 * phone. A taken email fails the statement (the unique violation), as it fails the one-row form.
 */
export async function setColumnsOfContacts(tx: Tx, writes: ContactColumnsWrite[]): Promise<(ContactRow | null)[]> {
  if (writes.length === 0) return [];
  const rows = await queryRows<ContactRow & { n: number }>(
    tx,
    `WITH ${lockedContacts('changes, custom', 'w.changes::jsonb AS changes, w.custom::jsonb AS custom')}
     UPDATE contacts c SET ${settableColumnsSetFrom('cur.changes')},
       custom_fields = c.custom_fields || cur.custom, updated_at = now()
     FROM current cur
     WHERE c.id = cur.id AND ${keepsEmailOrPhoneFrom('cur.changes')}
     RETURNING cur.n, ${columnsOf('c')}`,
    [
      writes.map((write) => write.contactId),
      writes.map((write) => write.accountId),
      writes.map((write) => JSON.stringify(settableColumnsOf(write.set))),
      writes.map((write) => JSON.stringify(write.customFields)),
    ],
    { prepare: 'contact-set-batch' },
  );
  return answersByN(writes.length, rows);
}

/**
 * insertContactWithEvents for many contacts in one statement: each new contact with its events in
 * the outbox, in the writes' order, on each write's lane. One answer per write, in order: the
 * contact inserted, or null, and no event, when its account already has a contact with its email
 * (ON CONFLICT DO NOTHING, as the one-row form: it waits for a concurrent insert of that email to
 * commit; two writes of one email in one batch give one contact and one null).
 */
export async function insertContacts(tx: Tx, writes: ContactInsertWrite[]): Promise<(ContactRow | null)[]> {
  if (writes.length === 0) return [];
  const column = <T>(pick: (write: ContactInsertWrite) => T): T[] => writes.map(pick);
  const rows = await queryRows<ContactRow & { n: number; events: number }>(
    tx,
    `WITH w AS MATERIALIZED (
       SELECT gen_random_uuid() AS id, (w.k - 1)::int AS n, w.account_id, w.email, w.phone, w.first_name, w.last_name,
              w.timezone, w.tags, w.custom_fields, w.dnd, w.events, w.lane
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::boolean[], $10::text[], $11::text[])
            WITH ORDINALITY AS w(account_id, email, phone, first_name, last_name, timezone, tags, custom_fields, dnd,
                                 events, lane, k)
     ),
     inserted AS (
       INSERT INTO contacts (id, account_id, email, phone, first_name, last_name, timezone, tags, custom_fields, dnd)
       SELECT w.id, w.account_id, w.email, w.phone, w.first_name, w.last_name, w.timezone,
              ARRAY(SELECT jsonb_array_elements_text(w.tags::jsonb)), w.custom_fields::jsonb, w.dnd
         FROM w ORDER BY w.n
       ON CONFLICT (account_id, lower(email)) WHERE email IS NOT NULL DO NOTHING
       RETURNING account_id, ${CONTACT_COLUMNS}
     ),
     ${writesOutboxInsertCte({
       name: 'outbox',
       from: 'inserted i JOIN w ON w.id = i.id',
       accountId: 'i.account_id',
       contactId: 'i.id',
     })}
     SELECT w.n, ${columnsOf('i')}, (SELECT count(*) FROM outbox)::int AS events FROM inserted i JOIN w ON w.id = i.id`,
    [
      column((write) => write.accountId),
      column((write) => write.fields.email),
      column((write) => write.fields.phone),
      column((write) => write.fields.firstName),
      column((write) => write.fields.lastName),
      column((write) => write.fields.timezone),
      column((write) => JSON.stringify(write.fields.tags)),
      column((write) => JSON.stringify(write.fields.customFields)),
      column((write) => write.fields.dnd),
      column((write) => JSON.stringify(write.events)),
      column((write) => write.lane),
    ],
    { prepare: 'contact-insert-batch' },
  );
  return answersByN(writes.length, rows);
}

function answersByN<R extends { n: number }>(count: number, rows: R[]): (Omit<R, 'n'> | null)[] {
  const answers: (Omit<R, 'n'> | null)[] = new Array(count).fill(null);
  for (const { n, ...row } of rows) answers[n] = row;
  return answers;
}
