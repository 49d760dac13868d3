import type { Db } from '../db/data-source';
import { batchByKey, type KeyedBatch } from '../db/keyed-batch';
import {
  addTagsToContacts,
  insertContacts,
  setColumnsOfContacts,
  type ContactColumnsWrite,
  type ContactInsertWrite,
  type ContactTagsWrite,
  type TaggedContactRow,
} from './contact-batch-store';
import type { ContactRow } from './contact-store';

/**
 * The group commit of a process's contact writes: an API process's new contacts (POST /contacts), a
 * worker's add_tag and update_contact. Concurrent callers hand their writes here and each batch is
 * one statement (contact-batch-store.ts), one commit for all, keyed by contact (two writes of one
 * contact, or two new contacts of one email, go in two batches). A caller goes on only once its
 * write has committed, with the answer the one-row statement would have given; a batch PostgreSQL
 * refuses (a taken email, a deadlock) is written again write by write, so that only its own caller fails.
 */
export interface ContactWriteBatch {
  inserts: KeyedBatch<ContactInsertWrite, ContactRow | null>;
  addTags: KeyedBatch<ContactTagsWrite, TaggedContactRow | null>;
  setColumns: KeyedBatch<ContactColumnsWrite, ContactRow | null>;
  /** Settles once every write handed over so far has been through a flush. */
  drain(): Promise<void>;
}

export function createContactWriteBatch(db: Db): ContactWriteBatch {
  const byContact = (write: { contactId: string }) => write.contactId;
  // By email (as the unique index compares them); a contact without one conflicts with none.
  let unkeyed = 0;
  const byEmail = (write: ContactInsertWrite) =>
    write.fields.email === null ? `-${unkeyed++}` : `${write.accountId} ${write.fields.email.toLowerCase()}`;
  const inserts = batchByKey(byEmail, (writes: ContactInsertWrite[]) => insertContacts(db.manager, writes));
  const addTags = batchByKey(byContact, (writes: ContactTagsWrite[]) => addTagsToContacts(db.manager, writes));
  const setColumns = batchByKey(byContact, (writes: ContactColumnsWrite[]) => setColumnsOfContacts(db.manager, writes));
  return {
    inserts,
    addTags,
    setColumns,
    drain: async () => {
      await Promise.all([inserts.drain(), addTags.drain(), setColumns.drain()]);
    },
  };
}
