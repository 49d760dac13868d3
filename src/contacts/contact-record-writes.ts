import { currentLane } from '../events/event-lane';
import type { RunLane } from '../queue/run-lanes';
import { columnsOf, keepsEmailOrPhoneFrom, settableColumnsSetFrom, tagAddedEventsCte } from './contact-batch-store';
import type { Contact } from './contact-schema';
import { toContact, type ContactRow } from './contact-store';
import { settableColumnsOf, type SettableContactField } from './contact-write-store';

/*
 * The contact writes of add_tag and update_contact as the statement that records their step makes
 * them (src/engine/run-step-finish-store.ts, ContactWritesSql): the step is recorded if and only if
 * its write is made, in one round trip and one commit, each write exactly as its one-row form in
 * contact-write-store.ts makes it (same lock, same checks, same events). The engine carries a write
 * as JSON:
 *   {"addTags": [tag, …], "lane": lane}   the tags the contact lacks appended in order, one
 *                                         `contact.tag_added` each; the step's output gets `added`
 *                                         (whether one was)
 *   {"set": {column: value}, "customFields": {…}}   update_contact's columns (no email: its unique
 *                                         violation is the action's own path's to explain) and custom fields
 * A write is refused (and its step not recorded) when its account has no such contact, or the change
 * would leave it with neither an email nor a phone.
 */

/** The JSON of a tags write (see above). */
export function tagsWriteJson(tags: string[], lane: RunLane = currentLane()): Record<string, unknown> {
  return { addTags: tags, lane };
}

/** The JSON of an update_contact write without `email` (see above). */
export function columnsWriteJson(
  set: Partial<Record<Exclude<SettableContactField, 'email'>, string | boolean | null | undefined>>,
  customFields: Contact['customFields'],
): Record<string, unknown> {
  return { set: settableColumnsOf(set), customFields };
}

/** The contact from the row the statement answered (jsonb: its times as text). */
export function contactOfRecordedRow(row: unknown): Contact {
  const json = row as Omit<ContactRow, 'created_at' | 'updated_at' | 'email_unsubscribed_at'> &
    Record<'created_at' | 'updated_at' | 'email_unsubscribed_at', string | null>;
  return toContact({
    ...json,
    email_unsubscribed_at: json.email_unsubscribed_at === null ? null : new Date(json.email_unsubscribed_at),
    created_at: new Date(json.created_at!),
    updated_at: new Date(json.updated_at!),
  });
}

/** The fragments of the finish statement (ContactWritesSql, which they match by shape). */
export const CONTACT_WRITES_IN_FINISH = {
  // The contacts of the finishes' writes, locked in id order before the statement touches a step row
  // (`finished` reads `held`), with whether each write can be made.
  before: `held AS MATERIALIZED (
       SELECT v.n, v.write, c.account_id, ${columnsOf('c')},
              CASE WHEN v.write ? 'set' THEN ${keepsEmailOrPhoneFrom("v.write->'set'")} ELSE true END AS ok
       FROM finishes v JOIN contacts c ON c.id = v.contact_id AND c.account_id = v.account_id
       WHERE v.write IS NOT NULL
       ORDER BY c.id
       FOR UPDATE OF c
     ),
     tags_added AS MATERIALIZED (
       SELECT h.n, h.id, h.account_id, h.write->>'lane' AS lane, t.tag, t.k
       FROM held h, jsonb_array_elements_text(h.write->'addTags') WITH ORDINALITY AS t(tag, k)
       WHERE h.write ? 'addTags' AND t.tag <> ALL (h.tags)
     )`,
  allowed: `EXISTS (SELECT 1 FROM held h WHERE h.n = v.n AND h.ok)`,
  output: `CASE WHEN v.write ? 'addTags'
       THEN v.output || jsonb_build_object('added', EXISTS (SELECT 1 FROM tags_added a WHERE a.n = v.n))
       ELSE v.output END`,
  after: `contacts_written AS (
       UPDATE contacts c SET
         tags = c.tags || ARRAY(SELECT a.tag FROM tags_added a WHERE a.n = h.n ORDER BY a.k),
         ${settableColumnsSetFrom("h.write->'set'")},
         custom_fields = c.custom_fields || coalesce(h.write->'customFields', '{}'::jsonb), updated_at = now()
       FROM finished f JOIN held h ON h.n = f.n
       WHERE c.id = h.id AND (h.write ? 'set' OR EXISTS (SELECT 1 FROM tags_added a WHERE a.n = h.n))
       RETURNING h.n, ${columnsOf('c')}
     ),
     ${tagAddedEventsCte('tag_events', 'tags_added a JOIN finished f ON f.n = a.n')}`,
  // The contact as written, or as found when its write changed nothing (tags it had); the count of
  // tag_events makes sure its notifications are evaluated (outboxInsertCte).
  contact: `CASE WHEN (SELECT count(*) FROM tag_events) >= 0 THEN (SELECT to_jsonb(x) FROM (
         SELECT ${columnsOf('w')} FROM contacts_written w WHERE w.n = f.n
         UNION ALL
         SELECT ${columnsOf('h')} FROM held h WHERE h.n = f.n AND NOT EXISTS (SELECT 1 FROM contacts_written w WHERE w.n = f.n)
       ) x) END`,
} as const;
