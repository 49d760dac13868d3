import path from 'node:path';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { loadTemplates } from '../../src/messaging/template-store';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { freePort } from '../helpers/free-port';
import { launchBrowser, screenshot } from '../helpers/browser';
import { addContact, addWorkflow, stepsOf } from '../helpers/engine';
import { ALL_DAY } from '../integration/booking/booking-helpers';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const flagship = parseYaml(readFileSync(path.join(ROOT, 'workflows/lead-booking.yaml'), 'utf8')) as Record<
  string,
  unknown
>;

/**
 * The headline feature, end to end, with the shipped flagship workflow and templates: a tag mints a
 * link, a real SMTP server receives the email carrying it, the link from that email is booked, the
 * booking worker resumes the waiting run to its onEvent step, the run completes, the link is spent.
 */
describe('booking a call from the email a workflow sent', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let server: Server;
  let workers: RunningWorkers;
  let accountId: string;
  let apiKey: string;
  let baseUrl: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL: baseUrl, PORT: String(port), PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.join(ROOT, 'templates'));
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme Coaching' }));
    server = createApp(env.container).listen(port, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    await request(baseUrl)
      .post('/api/v1/calendars')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({
        name: 'Discovery call',
        slug: 'discovery-call',
        timezone: 'UTC',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: 'olive@example.com',
      })
      .expect(201);
    await addWorkflow(env.container, accountId, flagship);
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sink.close();
    await env.cleanup();
  });

  async function tagLeadAndReadEmail(email: string): Promise<{ contactId: string; link: string; html: string }> {
    const contact = await addContact(env.container, accountId, {
      email,
      firstName: 'Lena',
      phone: '+15555550123',
      tags: ['lead'],
    });
    const mail = await waitFor(() => sink.accepted.find((m) => m.to.includes(email)), {
      timeoutMs: 20_000,
      what: `an email to ${email}`,
    });
    const html = String(mail.parsed?.html ?? '');
    const link = /https?:\/\/[^"'\s<>]+\/book\/[A-Za-z0-9_-]+/.exec(html)?.[0];
    expect(link).toBeDefined();
    return { contactId: contact.id, link: link!, html };
  }

  async function runOf(contactId: string) {
    const workflowRuns = await env.container.db.query('SELECT id, status FROM runs WHERE contact_id = $1', [contactId]);
    return workflowRuns[0] as { id: string; status: string } | undefined;
  }

  it('moves the run on when the link from the email is booked, and spends the link', async () => {
    const { contactId, link, html } = await tagLeadAndReadEmail('lena@example.com');
    expect(html).toContain('Lena');
    const run = await waitFor(
      async () => {
        const found = await runOf(contactId);
        return found?.status === 'waiting' ? found : null;
      },
      { what: 'the run waiting for a booking' },
    );

    const saved: { custom_fields: Record<string, string> }[] = await env.container.db.query(
      'SELECT custom_fields FROM contacts WHERE id = $1',
      [contactId],
    );
    expect(saved[0]!.custom_fields.bookingLink).toBe(link);

    const page = await request(link).get('').set('Accept', 'application/json').expect(200);
    expect(page.body.contact).toMatchObject({ email: 'lena@example.com' });
    const start = page.body.slots[0].start as string;
    const booked = await request(link).post('').send({ start }).expect(201);
    expect(booked.body.appointment).toMatchObject({ start });
    expect(booked.body.appointment.rescheduleUrl).toMatch(/^http/);

    await waitFor(async () => (await runOf(contactId))?.status === 'completed', {
      timeoutMs: 20_000,
      what: 'the run completed',
    });
    const steps = await stepsOf(env.container, run.id);
    expect(steps.map((s) => [s.step_id, s.status])).toEqual([
      ['link', 'completed'],
      ['invite', 'completed'],
      ['wait-for-booking', 'completed'],
      ['booked', 'completed'],
      ['done', 'completed'],
    ]);
    expect(steps[2]!.output).toMatchObject({ resumedBy: 'event' });
    await request(link).get('').expect(410);
  });

  it('lets a person book in a real browser from the emailed link, then shows the expired page', async () => {
    const { link } = await tagLeadAndReadEmail('bea@example.com');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(link);
      // The booking widget (test/e2e/booking-widget.test.ts has the rest of it, and the page without JavaScript).
      const firstTime = page.getByRole('list', { name: /day/ }).getByRole('button').first();
      await firstTime.click();
      await screenshot(page, 'booking-page');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForSelector('#appointment-time');
      expect(await page.getAttribute('#reschedule-link', 'href')).toMatch(/^http/);
      expect(await page.getAttribute('#cancel-link', 'href')).toMatch(/^http/);
      const confirmation = await page.textContent('main');
      expect(confirmation).toMatch(/booked|confirmed/i);
      await screenshot(page, 'booking-confirmation');

      const again = await page.goto(link);
      expect(again?.status()).toBe(410);
      expect(await page.textContent('h1')).toContain('This link has expired');
      expect(await page.textContent('main')).toContain('olive@example.com');
      await screenshot(page, 'booking-expired');
    } finally {
      await browser.close();
    }
  });
});
