import { jobCatalog, QUEUE_NAMES } from '../../../src/queue/job-catalog';
import { jobIds } from '../../../src/queue/job-ids';
import { CAMPAIGN_QUEUE, queueOf, queueTakes } from '../../../src/queue/run-lanes';

/**
 * Jobs outlive a deploy: a delayed timer or retry enqueued by the previous build runs on the next.
 * These names, ids and payloads are the contract with what is already in Redis; changing one needs a
 * migration of the queued jobs, not just a rename. (test/integration/engine/upgrade-in-flight.test.ts
 * runs such jobs, written with plain BullMQ.)
 */
describe('the job catalog, as the jobs already queued know it', () => {
  const RUN = '0b9f3f0e-8a44-4c55-9a7e-2f4c1d7e6a10';

  it('keeps the same queues, and the same job names on each', () => {
    const namesByQueue = Object.fromEntries(QUEUE_NAMES.map((queue) => [queue, [] as string[]]));
    for (const [name, entry] of Object.entries(jobCatalog)) namesByQueue[entry.queue]!.push(name);
    expect(namesByQueue).toEqual({
      events: ['event.process', 'event.batch'],
      steps: ['step.execute', 'runs.start', 'step.timeout'],
      'campaign-runs': [],
      campaigns: ['campaign.batch', 'contacts.import'],
      maintenance: ['links.expire', 'runs.sweep', 'retention.prune', 'tables.analyze'],
      bookings: ['booking.process', 'booking.batch', 'appointment.notify'],
    });
  });

  it("puts a campaign's run and event jobs on the campaign lane's queue, and the rest where they always went", () => {
    expect(CAMPAIGN_QUEUE).toBe('campaign-runs');
    const own = {
      'step.execute': 'steps',
      'step.timeout': 'steps',
      'runs.start': 'steps',
      'event.process': 'events',
      'booking.process': 'bookings',
      'booking.batch': 'bookings',
    } as const;
    for (const [name, queue] of Object.entries(own) as [keyof typeof own, string][]) {
      expect(queueOf(name)).toBe(queue);
      expect(queueOf(name, 'interactive')).toBe(queue);
      expect(queueOf(name, 'campaign')).toBe('campaign-runs');
      expect(queueTakes('campaign-runs', name)).toBe(true);
    }
    expect(queueOf('appointment.notify', 'campaign')).toBe('bookings');
    expect(queueOf('campaign.batch', 'campaign')).toBe('campaigns');
    expect(queueTakes('campaign-runs', 'appointment.notify')).toBe(false);
    expect(queueTakes('events', 'step.execute')).toBe(false);
  });

  it('keeps the job ids of steps, timers, events and campaign batches', () => {
    expect(jobIds.step(RUN, 'send')).toBe(`${RUN}.send`);
    expect(jobIds.timeout(RUN, 'pause')).toBe(`${RUN}.pause.timeout`);
    expect(jobIds.event('42')).toBe('event.42');
    expect(jobIds.notify('42')).toBe('notify.42');
    expect(jobIds.notify('42', '42')).toBe('notify.42');
    expect(jobIds.notify('42', '49')).toBe('notify.42.49');
    expect(jobIds.campaignBatch(RUN, null)).toBe(`campaign.${RUN}.start`);
    expect(jobIds.campaignBatch(RUN, 'c-9')).toBe(`campaign.${RUN}.c-9`);
    expect(jobIds.contactImport(RUN, 1001)).toBe(`import.${RUN}.1001`);
  });

  it('accepts the payloads the previous build wrote', () => {
    const payloads = {
      'event.process': { eventId: '42' },
      'event.batch': {
        events: [
          {
            id: '45',
            account_id: RUN,
            type: 'contact.created',
            contact_id: RUN,
            data: { tag: 'vip' },
            lane: 'interactive',
          },
        ],
      },
      'booking.process': { eventId: '43' },
      'booking.batch': {
        events: [
          {
            id: '46',
            account_id: RUN,
            type: 'appointment.booked',
            contact_id: RUN,
            data: { calendarId: RUN },
            lane: 'interactive',
          },
        ],
      },
      'appointment.notify': { eventId: '44' },
      'step.execute': { runId: RUN, stepId: 'send' },
      'step.timeout': { runId: RUN, stepId: 'pause' },
      'runs.start': { workflowId: RUN, version: 2, steps: [{ runId: RUN, stepId: 'send', lane: 'campaign' }] },
      'campaign.batch': { campaignId: RUN, accountId: RUN, workflowId: RUN, tag: 'vip', after: null },
      'contacts.import': { importId: RUN, from: 0 },
      'links.expire': {},
      'runs.sweep': {},
      'retention.prune': {},
      'tables.analyze': {},
    } as const;
    expect(Object.keys(payloads).sort()).toEqual(Object.keys(jobCatalog).sort());
    for (const [name, payload] of Object.entries(payloads)) {
      expect(jobCatalog[name as keyof typeof jobCatalog].payload.parse(payload)).toEqual(payload);
    }
  });
});
