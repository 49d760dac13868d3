import { z } from 'zod';
import { timezoneSchema } from '../../accounts/field-schemas';
import { emailSchema, phoneSchema } from '../contact-schema';
import { CUSTOM_PREFIX, type ImportField } from './column-mapping';

/** A row's contact, as the upsert writes it. Absent values are null: an empty cell never clears a field. */
export interface ImportedContact {
  email: string;
  /** lower(email): how contacts are matched. */
  emailKey: string;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
  /** true sets do-not-disturb; false (or nothing) leaves it as it is: an import never clears it. */
  dnd: boolean;
  customFields: Record<string, string>;
}

export type RowOutcome = { ok: true; contact: ImportedContact } | { ok: false; reason: string };

const nameSchema = z.string().max(200, 'must be at most 200 characters');
const customValueSchema = z.string().max(10_000, 'must be at most 10,000 characters');

const YES = new Set(['true', 'yes', 'y', '1', 'x']);
const NO = new Set(['false', 'no', 'n', '0']);

/**
 * Spreadsheet spellings of an E.164 number: spaces, dashes, dots and brackets are dropped and a
 * leading 00 becomes +. A number without its country code stays invalid: guessing one would send
 * texts to the wrong country.
 */
export function normalisePhone(text: string): string {
  const compact = text.replace(/[\s\-.()]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

function issueOf(result: z.ZodSafeParseResult<unknown>): string {
  return result.success ? '' : (result.error.issues[0]?.message ?? 'invalid');
}

/**
 * The contact a row describes, given the field of each column (see resolveColumns), or why the row
 * fails: no email, or a value the field does not accept (`phone: must be an E.164 phone number …`).
 * Cells are trimmed; an empty cell gives no value.
 */
export function toImportedContact(cells: readonly string[], columns: readonly (ImportField | null)[]): RowOutcome {
  const problems: string[] = [];
  const contact: ImportedContact = {
    email: '',
    emailKey: '',
    phone: null,
    firstName: null,
    lastName: null,
    timezone: null,
    dnd: false,
    customFields: {},
  };
  columns.forEach((field, index) => {
    const value = (cells[index] ?? '').trim();
    if (field === null || value === '') return;
    const fail = (message: string) => problems.push(`${field}: ${message}`);
    switch (field) {
      case 'email': {
        const parsed = emailSchema.safeParse(value);
        if (parsed.success) contact.email = parsed.data;
        else fail(issueOf(parsed));
        return;
      }
      case 'phone': {
        const parsed = phoneSchema.safeParse(normalisePhone(value));
        if (parsed.success) contact.phone = parsed.data;
        else fail(issueOf(parsed));
        return;
      }
      case 'firstName':
      case 'lastName': {
        const parsed = nameSchema.safeParse(value);
        if (parsed.success) contact[field] = parsed.data;
        else fail(issueOf(parsed));
        return;
      }
      case 'timezone': {
        const parsed = timezoneSchema.safeParse(value);
        if (parsed.success) contact.timezone = parsed.data;
        else fail(issueOf(parsed));
        return;
      }
      case 'dnd': {
        const answer = value.toLowerCase();
        if (YES.has(answer)) contact.dnd = true;
        else if (!NO.has(answer)) fail('must be yes or no');
        return;
      }
      default: {
        const parsed = customValueSchema.safeParse(value);
        if (parsed.success) contact.customFields[field.slice(CUSTOM_PREFIX.length)] = parsed.data;
        else fail(issueOf(parsed));
      }
    }
  });
  if (!contact.email && !problems.some((problem) => problem.startsWith('email:'))) problems.unshift('no email');
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  contact.emailKey = contact.email.toLowerCase();
  return { ok: true, contact };
}
