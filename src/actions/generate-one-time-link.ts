import { findCalendarByRef } from '../booking/calendar-service';
import { setContactFields } from '../contacts/contact-service';
import { generateOneTimeLinkStep } from '../definition/steps/generate-one-time-link';
import { NonRetryableError } from '../lib/step-errors';
import { mintLink, revokeOtherLinks } from '../links/link-service';
import { bookingUrl } from '../links/booking-url';
import { linkSalts } from '../links/link-store';
import { defineAction } from './action';
import { failFast } from './fail-fast';

/**
 * Mints a one-time booking link for the run's contact; output `{linkId, url, expiresAt}`, so a later
 * step writes `{{steps.<id>.url}}`. Idempotent per (run, step): a retried or redelivered step finds
 * the link it minted before (UNIQUE (run_id, step_id)) and returns the same URL.
 */
export const generateOneTimeLinkAction = defineAction(generateOneTimeLinkStep, {
  // `saveTo` writes the URL into a custom field of the contact.
  changesContact: true,
  execute: async ({ config, render, deps, accountId, contactId, runId, step, log, contactChanged }) => {
    const ref = render(config.calendar).trim();
    const urls = { publicUrl: deps.config.PUBLIC_URL, secret: deps.config.LINK_SECRET };
    let saved: Record<string, unknown> | undefined;
    const output = await failFast(() =>
      deps.db.transaction(async (tx) => {
        const calendar = ref ? await findCalendarByRef(tx, accountId, ref) : null;
        if (!calendar) throw new NonRetryableError(`calendar '${ref.slice(0, 100)}' not found`);
        const { row, created } = await mintLink(
          tx,
          {
            accountId,
            calendarId: calendar.id,
            contactId,
            expiresInMs: config.expiresIn,
            maxUses: config.maxUses,
            origin: { runId, stepId: step.id },
          },
          urls.secret,
        );
        const url = bookingUrl(urls, row.id, row.token_salt);
        if (config.revokePrevious) await revokeOtherLinks(tx, { contactId, calendarId: calendar.id, keepId: row.id });
        if (config.saveTo)
          saved = await setContactFields(tx, accountId, contactId, { [`customFields.${config.saveTo}`]: url });
        log.debug({ linkId: row.id, calendarId: calendar.id, created }, 'one-time link minted');
        return { linkId: row.id, url, expiresAt: row.expires_at.toISOString() };
      }),
    );
    if (saved) contactChanged?.(saved);
    return { kind: 'completed', output };
  },
  // The URL carries the token: run_steps keeps only the link id, and the URL is derived again on read,
  // so that the table of runs is no more able to book than the table of links.
  storedOutput: (output) => {
    const { url: _url, ...rest } = output as { url?: string };
    return rest;
  },
  restoreOutputs: async (outputs, { tx, config }) => {
    const ids = outputs
      .map((output) => (output as { linkId?: unknown }).linkId)
      .filter((id): id is string => typeof id === 'string');
    const salts = await linkSalts(tx, ids);
    const urls = { publicUrl: config.PUBLIC_URL, secret: config.LINK_SECRET };
    return outputs.map((output) => {
      const linkId = (output as { linkId?: string }).linkId;
      const salt = linkId ? salts.get(linkId) : undefined;
      return salt ? { ...(output as object), url: bookingUrl(urls, linkId!, salt) } : output;
    });
  },
});
