/**
 * The key of the message of (run, step): `<runId>.<stepId>@<PUBLIC_URL host>`. The same on every retry
 * and redelivery of the step, so whoever receives a repeat can recognise it. Emails carry it as their
 * Message-ID (in angle brackets); SMS providers get it as `messageId`.
 */
export function messageKeyOf(options: { runId: string; stepId: string; publicUrl: string }): string {
  return `${options.runId}.${options.stepId}@${new URL(options.publicUrl).hostname || 'localhost'}`;
}

export const emailMessageId = (key: string): string => `<${key}>`;
