import type { Db, Tx } from '../../db/data-source';
import { ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/zod-issues';
import { tagSchema } from '../contact-schema';
import { finishStaging, insertImport, sweepAccountImports, type ContactImportRow } from './contact-import-store';
import { countStagedEnrolled, countStagedWithTag, stageSearchedContacts } from './contact-import-row-store';
import type { BulkKind } from './import-schema';

/** The console's contact search a bulk action applies to: what was typed, and its ILIKE pattern. */
export interface BulkSearch {
  q: string;
  tag: string;
  /** `q` as an ILIKE pattern (see console/contacts/contact-search.ts); null when `q` is empty. */
  pattern: string | null;
}

export type BulkActionInput = { kind: 'add_tag' | 'remove_tag'; tag: string } | { kind: 'enrol'; workflowId: string };

/**
 * Stages a bulk action: the contacts matching the search now, in one statement, under a `staged`
 * job that waits for the marketer's confirmation (confirmImport). A search matching nobody is a 400
 * at `search`; the tag is checked like every tag (400 at `tag`).
 */
export async function stageBulkAction(
  db: Db,
  options: { accountId: string; search: BulkSearch; action: BulkActionInput },
): Promise<{ importId: string; total: number }> {
  const { accountId, search, action } = options;
  const tags = action.kind === 'enrol' ? [] : [parseOrThrow(tagSchema, action.tag, ['tag'])];
  const searchTag = search.tag ? search.tag.trim().toLowerCase() : null;
  await db.transaction((tx) => sweepAccountImports(tx, accountId));
  return db.transaction(async (tx) => {
    const job = await insertImport(tx, {
      accountId,
      kind: action.kind,
      status: 'staging',
      tags,
      workflowId: action.kind === 'enrol' ? action.workflowId : null,
      search: { ...(search.q ? { q: search.q } : {}), ...(searchTag ? { tag: searchTag } : {}) },
    });
    const total = await stageSearchedContacts(tx, {
      importId: job.id,
      accountId,
      pattern: search.pattern,
      tag: searchTag,
    });
    if (total === 0) throw new ValidationError([{ path: 'search', message: 'no contact matches this search' }]);
    await finishStaging(tx, job.id, { columns: [], total, status: 'staged', tags, mapping: {} });
    return { importId: job.id, total };
  });
}

/** What the confirm page says of a staged bulk action, counted over its staged contacts. */
export interface BulkCounts {
  total: number;
  /** add_tag / remove_tag: contacts that have the tag now. */
  withTag?: number;
  /** enrol: contacts ever enrolled in the workflow (they re-enter only if it allows re-entry). */
  enrolledBefore?: number;
}

export async function countBulkAction(tx: Tx, job: ContactImportRow): Promise<BulkCounts> {
  const kind = job.kind as BulkKind;
  if (kind === 'enrol')
    return {
      total: job.total,
      enrolledBefore: job.workflow_id ? await countStagedEnrolled(tx, job.id, job.workflow_id) : 0,
    };
  return { total: job.total, withTag: await countStagedWithTag(tx, job.id, job.tags[0]!) };
}
