/**
 * Emails per second through the real send_email path (event → enrolment → step → SMTP) to a local
 * SMTP sink (smtp-server, no parsing), rate limit off. Part of `npm run bench`.
 */
import { createContact } from '../src/contacts/contact-service';
import { startWorkers } from '../src/roles/worker';
import { createWorkflow } from '../src/workflows/workflow-repository';
import { startSmtpSink } from '../test/helpers/smtp-sink';
import { createTestAccount, type TestEnv } from '../test/helpers/test-env';

const EMAILS = Number(process.env.BENCH_EMAILS ?? 1000);

export async function benchEmail(env: TestEnv, count = EMAILS): Promise<number> {
  const sink = await startSmtpSink({ parse: false });
  // The same database and queues, with SMTP pointed at the sink and no rate limit.
  const container = { ...env.container, config: { ...env.config, SMTP_URL: sink.url, EMAIL_RATE_PER_SEC: 0 } };
  const { accountId } = await createTestAccount(container, { name: 'Mail bench' });
  await container.db.transaction((tx) =>
    createWorkflow(
      tx,
      accountId,
      {
        id: 'mail-bench',
        name: 'Mail bench',
        trigger: { type: 'contact.tag_added', tag: 'mail-bench' },
        steps: [
          {
            id: 'mail',
            type: 'send_email',
            subject: 'Hello {{contact.first_name}}',
            html: '<p>Hi {{contact.first_name}},</p><p>Your plan: {{upper contact.customFields.plan}}.</p>',
          },
        ],
      },
      'api',
    ),
  );
  // Contacts first, workers after: the clock measures the engine and SMTP, not the inserts.
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        container.db.transaction((tx) =>
          createContact(tx, accountId, {
            email: `mail${i + j}@example.com`,
            firstName: `Reader${i + j}`,
            customFields: { plan: 'pro' },
            tags: ['mail-bench'],
          }),
        ),
      ),
    );
  }
  const started = Date.now();
  const workers = startWorkers(container);
  while (sink.accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  const perSec = count / ((Date.now() - started) / 1000);
  await workers.close();
  await sink.close();
  return perSec;
}
