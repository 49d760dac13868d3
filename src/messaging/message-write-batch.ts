import type { Db } from '../db/data-source';
import { batchByKey } from '../db/keyed-batch';
import {
  insertMessage,
  insertMessages,
  ownerKeyOf,
  settleMessage,
  settleMessages,
  type MessageInsert,
  type MessageRow,
  type MessageSettlement,
} from './message-store';

/** How a sender writes its message rows: alone (messageWritesOf) or in the process's batches. */
export interface MessageWrites {
  insert(item: MessageInsert): Promise<{ row: MessageRow; created: boolean }>;
  settle(item: MessageSettlement): Promise<MessageRow>;
}

/** Each row written by a statement of its own. */
export function messageWritesOf(db: Db): MessageWrites {
  return {
    insert: (item) => insertMessage(db.manager, item),
    settle: (item) => settleMessage(db.manager, item),
  };
}

/**
 * The group commit of a worker process's message rows: the rows that concurrent sends (a notify
 * job's emails, several jobs' at once) insert before their provider calls go in one statement, and
 * their outcomes after the calls in another (src/db/keyed-batch.ts). Each send still waits for its
 * own row to be committed before it calls the provider, and for its outcome to be committed before
 * it answers: batching changes the number of statements, not what a crash can leave behind.
 */
export function createMessageWriteBatch(db: Db): MessageWrites {
  const inserts = batchByKey(
    (item: MessageInsert) => ownerKeyOf(item.key),
    (items: MessageInsert[]) => insertMessages(db.manager, items),
  );
  const settles = batchByKey(
    (item: MessageSettlement) => item.id,
    (items: MessageSettlement[]) => settleMessages(db.manager, items),
  );
  return { insert: (item) => inserts.submit(item), settle: (item) => settles.submit(item) };
}
