import type { Tx } from '../../db/data-source';
import { listCalendars } from '../../booking/calendar-service';
import { toLinkView, type OneTimeLink } from '../../links/link-service';
import type { LinkRow } from '../../links/link-store';
import type { UrlSigner } from '../../lib/signed-tokens';
import { contactLabels } from '../contacts/contact-search';

export interface DescribedLink extends OneTimeLink {
  calendarName: string;
  contactLabel: string | null;
}

/** Links as the console lists them: with their URL, their calendar's name and their contact. */
export async function describeLinks(
  tx: Tx,
  accountId: string,
  rows: LinkRow[],
  urls: UrlSigner,
): Promise<DescribedLink[]> {
  if (rows.length === 0) return [];
  const calendars = new Map((await listCalendars(tx, accountId)).map((calendar) => [calendar.id, calendar.name]));
  const contacts = await contactLabels(
    tx,
    accountId,
    rows.map((row) => row.contact_id),
  );
  return rows.map((row) => ({
    ...toLinkView(row, urls),
    calendarName: calendars.get(row.calendar_id) ?? row.calendar_id,
    contactLabel: row.contact_id ? (contacts.get(row.contact_id) ?? row.contact_id) : null,
  }));
}
