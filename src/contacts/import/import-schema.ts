import { z } from 'zod';
import { storableString } from '../../accounts/field-schemas';
import { parseOrThrow } from '../../lib/zod-issues';
import { tagListSchema, uniqueTags } from '../contact-schema';

/** What a job does: import an uploaded CSV, or apply one bulk action to the contacts of a search. */
export const IMPORT_KINDS = ['csv', 'add_tag', 'remove_tag', 'enrol'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type BulkKind = Exclude<ImportKind, 'csv'>;

/**
 * Stored statuses. `staging` (the upload is still streaming in) and `staged` (the console waits for
 * the marketer's confirmation) are internal: the API shows both as `queued`.
 */
export type StoredImportStatus = 'staging' | 'staged' | 'queued' | 'running' | 'completed' | 'failed';

export const importStatusSchema = z.enum(['queued', 'running', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof importStatusSchema>;

/** `GET /api/v1/imports/:id`. */
export const importViewSchema = z.object({
  id: z.string(),
  status: importStatusSchema,
  /** Data rows in the file (the header row aside). */
  total: z.number().int(),
  /** Rows done so far, failed ones included. */
  processed: z.number().int(),
  /** Contacts created / updated (matched by email, any case). */
  created: z.number().int(),
  updated: z.number().int(),
  /** Rows that failed; `GET /imports/:id/errors` lists them with the reason. */
  failed: z.number().int(),
  /** Why the whole import failed (the rows' own failures are in the error report). */
  error: z.string().optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export type ImportView = z.infer<typeof importViewSchema>;

/** `POST /api/v1/contacts/import` → 202. */
export const importAcceptedSchema = z.object({ id: z.string(), status: importStatusSchema });

/** Column name → a contact field (`email`, `firstName`, …, `customFields.<name>`), or null to leave it out. */
export const mappingSchema = z
  .record(storableString.max(200), z.union([storableString.max(200), z.null()]))
  .refine((mapping) => Object.keys(mapping).length <= 200, 'at most 200 columns');
export type ColumnMapping = z.infer<typeof mappingSchema>;

/** `tags` of the upload form: comma-separated, normalised like every tag; a bad one is a 400 at `tags[i]`. */
export function parseTagList(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  return uniqueTags(parseOrThrow(tagListSchema, tags, ['tags']));
}

/** The multipart form fields of an upload (strings as sent). */
export const uploadFieldsSchema = z.object({
  /** Comma-separated tags added to every imported contact (each fires `contact.tag_added` when new to it). */
  tags: z.string().optional(),
  /** JSON object: column → field or `customFields.<name>`; columns it leaves out map by their header. */
  mapping: z.string().optional(),
});
