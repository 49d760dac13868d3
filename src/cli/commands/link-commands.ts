import { z } from 'zod';
import { findCalendarByRef, findPublicCalendar } from '../../booking/calendar-service';
import { findContactRow, isUuid } from '../../contacts/contact-store';
import { NotFoundError } from '../../lib/errors';
import { toIssueDetails } from '../../lib/zod-issues';
import { linkOptionsShape, mintLink, toLinkView } from '../../links/link-service';
import { urlSignerOf } from '../../lib/signed-tokens';
import { withServices } from '../cli-services';
import { CliUsageError, EXIT, type CliCommand, type CliValues } from '../cli-command';

const linkOptionsSchema = z.strictObject(linkOptionsShape);

/** `--expires-in 3d --max-uses 2`, checked by the same rules as the API's mint body. */
function linkOptionsOf(values: CliValues): z.infer<typeof linkOptionsSchema> {
  const maxUses = typeof values['max-uses'] === 'string' ? Number(values['max-uses']) : undefined;
  const parsed = linkOptionsSchema.safeParse({ expiresIn: values['expires-in'], maxUses });
  if (parsed.success) return parsed.data;
  const flag = (path: string) => `--${path.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  throw new CliUsageError(
    toIssueDetails(parsed.error)
      .map((issue) => `${flag(issue.path)}: ${issue.message}`)
      .join('; '),
  );
}

export const linksCreateCommand: CliCommand = {
  name: 'links:create',
  summary: 'Mint a one-time booking link for a calendar',
  usage:
    'links:create --calendar <slug|id> [--contact <contactId>] [--account <accountId>] [--expires-in 7d] [--max-uses 1]',
  help: [
    '--calendar <slug|id>  the calendar (required); slugs are unique across accounts',
    '--contact <id>        the contact the link is for (default: none, the booker gives name and email)',
    '--account <id>        only look for the calendar in this account',
    '--expires-in <time>   30m, 2h, 7d or ISO-8601 (default 7d, at most 366 days)',
    '--max-uses <n>        bookings the link allows (default 1)',
    'Prints the link id, its URL and when it expires.',
  ],
  options: {
    calendar: { type: 'string' },
    contact: { type: 'string' },
    account: { type: 'string' },
    'expires-in': { type: 'string' },
    'max-uses': { type: 'string' },
  },
  async run({ values, out }) {
    if (typeof values.calendar !== 'string') throw new CliUsageError('--calendar is required');
    const ref = values.calendar;
    const accountRef = typeof values.account === 'string' ? values.account : undefined;
    const contactId = typeof values.contact === 'string' ? values.contact : undefined;
    const options = linkOptionsOf(values);
    const link = await withServices({ redis: false }, (c) =>
      c.db.transaction(async (tx) => {
        const calendar =
          accountRef === undefined
            ? await findPublicCalendar(tx, ref)
            : isUuid(accountRef)
              ? await findCalendarByRef(tx, accountRef, ref)
              : null;
        if (!calendar) throw new NotFoundError('Calendar');
        const contact = contactId === undefined ? null : await findContactRow(tx, calendar.accountId, contactId);
        const minted = await mintLink(
          tx,
          {
            accountId: calendar.accountId,
            calendarId: calendar.id,
            contactId: contact?.id,
            expiresInMs: options.expiresIn,
            maxUses: options.maxUses,
          },
          c.config.LINK_SECRET,
        );
        return toLinkView(minted.row, urlSignerOf(c.config));
      }),
    );
    out.print(`id: ${link.id}`);
    out.print(`url: ${link.url}`);
    out.print(`expiresAt: ${link.expiresAt}`);
    out.print(`maxUses: ${link.maxUses}`);
    return EXIT.ok;
  },
};
