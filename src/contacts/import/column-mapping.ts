import { ValidationError, type IssueDetail } from '../../lib/errors';
import { formatPath } from '../../lib/format-path';
import { customFieldNameSchema } from '../contact-schema';
import type { ColumnMapping } from './import-schema';

/** The contact fields a column can fill; custom fields are `customFields.<name>`. */
export const IMPORT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'timezone', 'dnd'] as const;
export type BuiltInImportField = (typeof IMPORT_FIELDS)[number];
export type ImportField = BuiltInImportField | `customFields.${string}`;

export const FIELD_LABELS: Record<BuiltInImportField, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  timezone: 'Time zone',
  dnd: 'Do not disturb',
};

export const CUSTOM_PREFIX = 'customFields.';

/**
 * Headers that map themselves, compared lower-cased without spaces, dashes or underscores: so
 * "E-mail", "Email Address", "first_name", "First Name" and "firstName" all find their field.
 */
const HEADER_SYNONYMS: Record<string, BuiltInImportField> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  firstname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  mobilephone: 'phone',
  telephone: 'phone',
  timezone: 'timezone',
  tz: 'timezone',
  dnd: 'dnd',
  donotdisturb: 'dnd',
};

const squash = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The field a header maps to by itself (`customFields.company` included), or null: left out. */
export function defaultFieldFor(header: string): ImportField | null {
  const trimmed = header.trim();
  if (trimmed.startsWith(CUSTOM_PREFIX)) return parseField(trimmed);
  return HEADER_SYNONYMS[squash(trimmed)] ?? null;
}

/** A field name as a mapping may give it; null when it names no field. */
export function parseField(value: string): ImportField | null {
  if ((IMPORT_FIELDS as readonly string[]).includes(value)) return value as BuiltInImportField;
  if (!value.startsWith(CUSTOM_PREFIX)) return null;
  const name = value.slice(CUSTOM_PREFIX.length);
  return customFieldNameSchema.safeParse(name).success ? (value as ImportField) : null;
}

/**
 * The field of each column of `header` (null: left out): the mapping's choice where it names the
 * column, else the header's own field. A ValidationError names every problem at `mapping.<column>`
 * (a column the file lacks, a field that does not exist, a field two columns fill) or at `mapping`
 * when no column gives the email, by which contacts are matched.
 */
export function resolveColumns(header: readonly string[], mapping: ColumnMapping = {}): (ImportField | null)[] {
  const issues: IssueDetail[] = [];
  const names = new Set(header);
  for (const [column, field] of Object.entries(mapping)) {
    const path = formatPath(['mapping', column]);
    if (!names.has(column)) issues.push({ path, message: 'the file has no column of this name' });
    else if (field !== null && field !== '' && parseField(field) === null)
      issues.push({
        path,
        message: `not a contact field: use one of ${IMPORT_FIELDS.join(', ')}, customFields.<name>, or null to leave it out`,
      });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  // The mapping's choices first, then the headers' own fields for what is still free: a header that
  // would fill a field the mapping gave to another column is left out.
  const seen = new Map<ImportField, string>();
  const columns: (ImportField | null)[] = header.map(() => null);
  header.forEach((column, index) => {
    const chosen = Object.hasOwn(mapping, column) ? mapping[column] : undefined;
    if (chosen === undefined || chosen === null || chosen === '') return;
    const field = parseField(chosen)!;
    const earlier = seen.get(field);
    if (earlier !== undefined)
      issues.push({
        path: formatPath(['mapping', column]),
        message: `${field} is already filled from the column "${earlier}"`,
      });
    else seen.set(field, column);
    columns[index] = earlier === undefined ? field : null;
  });
  header.forEach((column, index) => {
    if (Object.hasOwn(mapping, column)) return;
    const field = defaultFieldFor(column);
    if (field === null || seen.has(field)) return;
    seen.set(field, column);
    columns[index] = field;
  });
  if (!seen.has('email'))
    issues.push({
      path: 'mapping',
      message: 'no column gives the email, by which contacts are matched: map one, e.g. {"E-mail address": "email"}',
    });
  if (issues.length > 0) throw new ValidationError(issues);
  return columns;
}
