import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { storableString } from '../accounts/field-schemas';
import { createContact } from '../contacts/contact-service';
import { emailSchema, phoneSchema } from '../contacts/contact-schema';
import { fillEmptyContactFields, findContactIdByEmail } from '../contacts/contact-store';
import { normalisePhone } from '../contacts/import/import-row';
import { ConflictError } from '../lib/errors';
import { canonicalZone } from '../lib/time-zone';
import { parseOrThrow } from '../lib/zod-issues';
import type { CalendarRecord } from './calendar-schema';

/** An empty form field is a field left out: the no-JavaScript form posts every input it has. */
const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * A phone as a visitor types it ("+1 (415) 555-0123", "0044 20 7946 0958"): separators dropped, a
 * leading 00 read as +, then the contacts' own rule (E.164), so the contact stores it as the API would.
 */
const visitorPhone = z
  .string({ error: 'please tell us your phone number' })
  .max(40, 'please give your number with its country code, like +1 415 555 0123')
  .transform(normalisePhone)
  .refine(
    (phone) => phoneSchema.safeParse(phone).success,
    'please give your number with its country code, like +1 415 555 0123',
  );

function bookerSchemaOf(askPhone: boolean) {
  return z.object({
    name: storableString.trim().min(1, 'please tell us your name').max(200),
    email: emailSchema,
    /** Required when the calendar asks for it; taken (and checked) when given anyway, e.g. by an API caller. */
    phone: z.preprocess(blankToUndefined, askPhone ? visitorPhone : visitorPhone.optional()),
    /** The zone the visitor booked in (the form's `tz`): canonical, or null when it is no zone. */
    tz: z
      .unknown()
      .optional()
      .transform((zone) => canonicalZone(zone)),
  });
}

/** Who books on a page that does not know them yet (the scheduling page, a link without a contact). */
export type Booker = z.infer<ReturnType<typeof bookerSchemaOf>>;

/**
 * A visitor's `{name, email, phone?, tz?}` checked for this calendar: 400 with the path of each
 * field wrong (`phone` missing or not a phone number when the calendar has `askPhone`).
 */
export function parseBooker(calendar: Pick<CalendarRecord, 'askPhone'>, input: unknown): Booker {
  return parseOrThrow(bookerSchemaOf(calendar.askPhone), input);
}

function splitName(name: string): { firstName: string; lastName: string | null } {
  const [first, ...rest] = name.split(/\s+/);
  return { firstName: first!, lastName: rest.length > 0 ? rest.join(' ') : null };
}

/**
 * The contact with this email, created when there is none, with the visitor's phone and the zone
 * they booked in (so the confirmation reads in their time). An existing contact's name, email,
 * phone and zone are never replaced from a public page (anyone can type anyone's email there): the
 * phone and zone are only filled in where the contact has none.
 */
export async function findOrCreateBookingContact(tx: Tx, accountId: string, booker: Booker): Promise<string> {
  const phone = booker.phone ?? null;
  const timezone = booker.tz;
  const find = () => findContactIdByEmail(tx, accountId, { email: booker.email });
  const fillIn = async (contactId: string): Promise<string> => {
    if (phone !== null || timezone !== null)
      await fillEmptyContactFields(tx, { accountId, contactId, phone, timezone });
    return contactId;
  };
  const existing = await find();
  if (existing) return fillIn(existing);
  try {
    const created = await createContact(tx, accountId, {
      email: booker.email,
      ...splitName(booker.name),
      phone,
      timezone,
    });
    return created.id;
  } catch (error) {
    // Created meanwhile by a concurrent booking: createContact's ON CONFLICT leaves the transaction usable.
    if (error instanceof ConflictError) {
      const raced = await find();
      if (raced) return fillIn(raced);
    }
    throw error;
  }
}
