/**
 * The key of the message of (run, step): `<runId>.<stepId>@<PUBLIC_URL host>`. The same on every retry
 * and redelivery of the step, so whoever receives a repeat can recognise it. Emails carry it as their
 * Message-ID (in angle brackets); SMS providers get it as `messageId`.
 */
export function messageKeyOf(options: { runId: string; stepId: string; publicUrl: string }): string {
  return `${options.runId}.${options.stepId}@${new URL(options.publicUrl).hostname || 'localhost'}`;
}

export const emailMessageId = (key: string): string => `<${key}>`;

/**
 * The key of an appointment notification: `appointment-<id>.<kind>@<PUBLIC_URL host>`, the same on every
 * retry of its job. A kind's ':' (before an event id) becomes '.', which a Message-ID may carry.
 */
export function appointmentMessageKeyOf(options: { appointmentId: string; kind: string; publicUrl: string }): string {
  const kind = options.kind.replace(/[^A-Za-z0-9_.-]/g, '.');
  return `appointment-${options.appointmentId}.${kind}@${new URL(options.publicUrl).hostname || 'localhost'}`;
}
