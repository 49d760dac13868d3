import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { storableString } from '../accounts/field-schemas';
import { createContact } from '../contacts/contact-service';
import { emailSchema } from '../contacts/contact-schema';
import { findContactIdByEmail } from '../contacts/contact-store';
import { ConflictError } from '../lib/errors';

/** Who books on a page that does not know them yet (the scheduling page, a link without a contact). */
export const bookerSchema = z.object({
  name: storableString.trim().min(1, 'please tell us your name').max(200),
  email: emailSchema,
});
export type Booker = z.infer<typeof bookerSchema>;

function splitName(name: string): { firstName: string; lastName: string | null } {
  const [first, ...rest] = name.split(/\s+/);
  return { firstName: first!, lastName: rest.length > 0 ? rest.join(' ') : null };
}

/**
 * The contact with this email, created when there is none. An existing contact is never changed
 * from a public page: anyone can type anyone's email there.
 */
export async function findOrCreateBookingContact(tx: Tx, accountId: string, booker: Booker): Promise<string> {
  const find = () => findContactIdByEmail(tx, accountId, { email: booker.email });
  const existing = await find();
  if (existing) return existing;
  try {
    return (await createContact(tx, accountId, { email: booker.email, ...splitName(booker.name) })).id;
  } catch (error) {
    // Created meanwhile by a concurrent booking: createContact's ON CONFLICT leaves the transaction usable.
    if (error instanceof ConflictError) {
      const raced = await find();
      if (raced) return raced;
    }
    throw error;
  }
}
