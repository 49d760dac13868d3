import busboy from 'busboy';
import type { Request, Response } from 'express';
import type { Container } from '../../container';
import { stageCsvUpload, type StagedUpload } from '../../contacts/import/csv-staging';
import { completeUpload } from '../../contacts/import/import-service';
import { mappingSchema, parseTagList, type ColumnMapping } from '../../contacts/import/import-schema';
import { resolveColumns } from '../../contacts/import/column-mapping';
import { deleteImport } from '../../contacts/import/contact-import-store';
import { PayloadTooLargeError, ValidationError } from '../../lib/errors';
import { isStorableText } from '../../lib/storable-text';
import { parseOrThrow } from '../../lib/zod-issues';

/** The largest CSV an upload takes: this route's own limit (the API's JSON bodies stop at 1 MB). Default 100 MB. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** Room for the multipart envelope and the small fields around the file. */
const ENVELOPE_BYTES = 1024 * 1024;

export interface ImportUploadOptions {
  accountId: string;
  /** true: queue the import at once (the API); false: stage it for the console's confirm step. */
  start: boolean;
  /** Default MAX_IMPORT_BYTES. */
  maxBytes?: number;
  /** Sees the fields sent before the file, and may refuse the upload (the console's CSRF token). */
  beforeFile?: (fields: Readonly<Record<string, string>>) => void;
}

const tooLarge = (maxBytes: number) =>
  new PayloadTooLargeError(
    `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB: split it into smaller files and import each`,
  );

/** The `mapping` field: a JSON object of column → field (400 at `mapping` or `mapping.<column>`). */
export function parseMappingField(text: string | undefined): ColumnMapping {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: 'mapping', message: 'must be a JSON object such as {"E-mail": "email"}' }]);
  }
  return parseOrThrow(mappingSchema, value, ['mapping']);
}

/**
 * Reads a `multipart/form-data` upload (the CSV in field `file`, optional `tags` and `mapping`)
 * with busboy, streaming the file straight into staging: nothing holds the whole file. A body over
 * the limit is a 413 (at once when Content-Length says so), a body that is no multipart form a 400,
 * a missing `file` a 400 at `file`. On any refusal the rest of the body is read and thrown away, so
 * the client sees the answer rather than a reset connection.
 */
export async function receiveImportUpload(
  c: Container,
  req: Request,
  res: Response,
  options: ImportUploadOptions,
): Promise<{ importId: string }> {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  if (Number(req.headers['content-length'] ?? 0) > maxBytes + ENVELOPE_BYTES) {
    res.setHeader('Connection', 'close');
    throw tooLarge(maxBytes);
  }
  if (!req.is('multipart/form-data'))
    throw new ValidationError([
      { path: '', message: "Send multipart/form-data with the CSV file in the field 'file'" },
    ]);

  const fields: Record<string, string> = {};
  let staging: Promise<StagedUpload> | null = null;
  const malformed = () => new ValidationError([{ path: '', message: 'Malformed multipart body' }]);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { fileSize: maxBytes + 1, files: 1, fields: 20, fieldSize: 100 * 1024, parts: 25 },
    });
  } catch {
    throw malformed(); // no boundary, an unknown charset
  }
  let refused = false;
  const received = new Promise<void>((resolve, fail) => {
    const reject = (error: unknown) => {
      refused = true;
      fail(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || !isStorableText(value))
        return reject(new ValidationError([{ path: name, message: 'must be text of at most 100 kB' }]));
      fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      // busboy goes on with the chunk in hand after a refusal: a file then is not staged.
      if (name !== 'file' || staging || refused) return file.resume();
      try {
        options.beforeFile?.(fields);
      } catch (error) {
        file.resume();
        return reject(error);
      }
      file.on('limit', () => file.destroy(tooLarge(maxBytes)));
      // The reader sees the stream's errors; this keeps one that comes after it stopped (busboy destroys the
      // stream with "Unexpected end of form" too) from being an unhandled 'error' event.
      file.on('error', () => undefined);
      staging = stageCsvUpload(c.db, {
        accountId: options.accountId,
        fileName: info.filename && isStorableText(info.filename) ? info.filename.slice(0, 255) : null,
        file,
        // The mapping, when it came before the file, is checked against the header before any row is staged.
        onHeader: (columns) => {
          if (fields.mapping !== undefined) resolveColumns(columns, parseMappingField(fields.mapping));
        },
      });
      // A failure ends the upload at once (busboy would wait for a reader that is gone).
      staging.catch(reject);
    });
    parser.on('error', () => reject(malformed()));
    parser.on('close', () => resolve());
    req.on('error', reject);
    // The client went away mid-upload: busboy would wait for the rest for ever.
    req.on('close', () => {
      if (!req.complete) reject(new ValidationError([{ path: '', message: 'The upload was interrupted' }]));
    });
  });
  req.pipe(parser);

  let staged: StagedUpload | null = null;
  try {
    await received;
    if (!staging) throw new ValidationError([{ path: 'file', message: 'Attach the CSV file in the field "file"' }]);
    staged = await (staging as Promise<StagedUpload>);
    const tags = parseTagList(fields.tags ?? '');
    const mapping = parseMappingField(fields.mapping);
    await completeUpload(c, { accountId: options.accountId, staged, tags, mapping, start: options.start });
    return { importId: staged.importId };
  } catch (error) {
    req.unpipe(parser);
    parser.destroy();
    req.resume();
    // Staged, then refused (a bad tag): nobody has its id, so it goes.
    if (staged) await deleteImport(c.db.manager, options.accountId, staged.importId).catch(() => undefined);
    // A staging still running when the form failed: its import goes too, however it ends.
    void (staging as Promise<StagedUpload> | null)?.then(
      (late) => deleteImport(c.db.manager, options.accountId, late.importId),
      () => undefined,
    );
    throw error;
  }
}
