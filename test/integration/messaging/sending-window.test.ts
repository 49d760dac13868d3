import { DateTime } from 'luxon';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow, runsOf, stepsOf } from '../../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { messagesOf } from './messaging-helpers';

/** A zone where it is between 01:00 and 21:59 now, so that a window from now to an hour later stays in one day. */
function zoneAwayFromMidnight(): string {
  const zones = [
    'Pacific/Kiritimati',
    'Asia/Tokyo',
    'Asia/Kolkata',
    'Europe/Paris',
    'America/New_York',
    'Pacific/Honolulu',
  ];
  return zones.find((zone) => {
    const hour = DateTime.now().setZone(zone).hour;
    return hour >= 1 && hour <= 21;
  })!;
}

describe('a sending window', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let accountId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    env = await createTestEnv({ SMTP_URL: sink.url });
    ({ accountId } = await createTestAccount(env.container, { timezone: 'UTC' }));
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await sink.close();
    await env.cleanup();
  });

  it("holds a message until the window opens in the contact's time zone, across a worker restart, then sends it", async () => {
    const zone = zoneAwayFromMidnight();
    const opensAt = DateTime.now().setZone(zone).plus({ seconds: 4 }).startOf('second');
    const day = opensAt.toFormat('ccc').toLowerCase();
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'windowed',
      name: 'Windowed',
      trigger: { type: 'contact.tag_added', tag: 'windowed' },
      sendingWindow: {
        days: [day],
        start: opensAt.toFormat('HH:mm:ss'),
        end: opensAt.plus({ hours: 1 }).toFormat('HH:mm'),
      },
      steps: [{ id: 'mail', type: 'send_email', subject: 'In the window', text: 'Hello' }],
    });
    const contact = await addContact(env.container, accountId, {
      email: 'windowed@example.com',
      timezone: zone,
      tags: ['windowed'],
    });
    const run = await waitFor(async () => (await runsOf(env.container, workflow.id))[0], { what: 'the run' });
    await waitFor(async () => (await stepsOf(env.container, run.id))[0], { what: 'the step claimed' });

    // Closed windows hold the step in the queue (a delayed job in Redis), not in a worker: restart them.
    await workers.close();
    workers = startWorkers(env.container);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, opensAt.toMillis() - Date.now() - 1500)));
    expect(sink.received.filter((email) => email.to[0] === 'windowed@example.com')).toHaveLength(0);
    expect(await messagesOf(env.container, run.id)).toHaveLength(0);

    const email = await waitFor(() => sink.accepted.find((mail) => mail.to[0] === 'windowed@example.com'), {
      timeoutMs: 15_000,
      what: 'the email',
    });
    expect(email.at).toBeGreaterThanOrEqual(opensAt.toMillis());
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', {
      what: 'the run completed',
    });
    expect((await messagesOf(env.container, run.id))[0]).toMatchObject({ status: 'sent', to: contact.email });
  });
});
