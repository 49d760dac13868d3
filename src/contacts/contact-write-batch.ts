import type { Db } from '../db/data-source';
import { batchByKey, type KeyedBatch } from '../db/keyed-batch';
import {
  addTagsToContacts,
  setColumnsOfContacts,
  type ContactColumnsWrite,
  type ContactTagsWrite,
  type TaggedContactRow,
} from './contact-batch-store';
import type { ContactRow } from './contact-store';

/**
 * The group commit of a worker process's contact writes (add_tag, update_contact): the concurrent
 * steps hand their writes here and each batch is one statement (contact-batch-store.ts), one commit
 * for all, keyed by contact (two writes of one contact go in two batches). A step goes on only once
 * its write has committed, with the answer the one-row statement would have given; a batch PostgreSQL
 * refuses (a taken email, a deadlock) is written again write by write, so that only its own step fails.
 */
export interface ContactWriteBatch {
  addTags: KeyedBatch<ContactTagsWrite, TaggedContactRow | null>;
  setColumns: KeyedBatch<ContactColumnsWrite, ContactRow | null>;
  /** Settles once every write handed over so far has been through a flush. */
  drain(): Promise<void>;
}

export function createContactWriteBatch(db: Db): ContactWriteBatch {
  const byContact = (write: { contactId: string }) => write.contactId;
  const addTags = batchByKey(byContact, (writes: ContactTagsWrite[]) => addTagsToContacts(db.manager, writes));
  const setColumns = batchByKey(byContact, (writes: ContactColumnsWrite[]) => setColumnsOfContacts(db.manager, writes));
  return {
    addTags,
    setColumns,
    drain: async () => {
      await Promise.all([addTags.drain(), setColumns.drain()]);
    },
  };
}
