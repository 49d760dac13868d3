import { importAcceptedSchema, importViewSchema } from '../../contacts/import/import-schema';
import type { ApiOperation } from './api-operation';

/** Contact imports from CSV. */
export const importOperations: ApiOperation[] = [
  {
    id: 'importContacts',
    method: 'post',
    path: '/contacts/import',
    tag: 'Contact imports',
    summary: 'Import contacts from a CSV file (multipart/form-data), matched by email',
    description:
      'Send `multipart/form-data` with the CSV in the field `file` (UTF-8; comma, semicolon or tab; at most 100 MB, ' +
      '413 beyond), and optionally `tags` (comma-separated, added to every imported contact) and `mapping` (a JSON ' +
      'object of column → `email`, `firstName`, `lastName`, `phone`, `timezone`, `dnd` or `customFields.<name>`, or ' +
      'null to leave a column out). Columns the mapping leaves out map by their header: `email`, `first_name` / ' +
      '`firstName`, `last_name` / `lastName`, `phone`, `timezone`, `dnd`, `customFields.<name>`; others are left out. ' +
      'A row updates the contact with its email (any case) or creates one. An empty cell changes nothing, and an ' +
      'import never clears do-not-disturb or an unsubscribe. New contacts fire `contact.created`, and each tag new ' +
      'to a contact fires `contact.tag_added`, as anywhere else. The file is staged as it arrives and imported by a ' +
      'worker: follow it at `GET /imports/{id}`. 400 with the field path: no multipart body, no `file`, a `mapping` ' +
      'that is not JSON or names an unknown column or field, a malformed CSV.',
    errors: [400, 413],
    response: { status: 202, description: 'Staged and queued', schema: importAcceptedSchema },
  },
  {
    id: 'getImport',
    method: 'get',
    path: '/imports/:id',
    tag: 'Contact imports',
    summary: "An import's status and counts",
    response: { status: 200, description: 'The import', schema: importViewSchema },
  },
  {
    id: 'getImportErrors',
    method: 'get',
    path: '/imports/:id/errors',
    tag: 'Contact imports',
    summary: 'The rows that failed, as CSV: row, the original columns, reason',
    description:
      "`text/csv`: `row` (as a spreadsheet numbers it: the header is row 1), the file's columns as read, and " +
      '`reason`. Failed rows are kept for 30 days after the import ends (410 `gone` afterwards).',
    response: { status: 200, description: 'A CSV file' },
  },
];
