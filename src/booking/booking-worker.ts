import type { Container } from '../container';
import { processEvent } from '../triggers/event-processor';

/**
 * The booking worker's job (`booking.process` on the `bookings` queue): a relayed `appointment.*` or
 * `link.*` event resumes the contact's runs that wait for it (to their `onEvent` step) and enrols
 * the workflows it triggers. It is the same processing as any event, and as idempotent: enrolment
 * is keyed by (event, workflow), and a resume only moves a run that is still waiting.
 */
export async function processBookingEvent(c: Container, eventId: string): Promise<void> {
  await processEvent(c, eventId);
}
