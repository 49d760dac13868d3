import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadTemplates } from '../../src/messaging/template-store';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { launchBrowser } from '../helpers/browser';
import { runsOf } from '../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

jest.setTimeout(120_000);

const WEEKDAYS_9_TO_5 = ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '09:00', end: '17:00' }));

/**
 * README.md's "Five-minute tour", step by step, with the names it tells the reader to click: the
 * calendar by the API, the workflow in the builder, a contact tagged `demo-lead` by the API, the
 * emailed link booked, then the run and the funnel on the workflow page. If this fails, the README
 * is wrong.
 */
describe("the README's five-minute tour", () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let browser: Browser;
  let page: Page;
  let apiKey: string;

  const api = (pathname: string, body: unknown): Promise<Response> =>
    fetch(`${baseUrl}/api/v1${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const addStepAtTheEnd = async (label: string): Promise<void> => {
    await page
      .getByRole('button', { name: /^Add step after/ })
      .last()
      .click();
    await page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
  };

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sink = await startSmtpSink();
    env = await createTestEnv({ PUBLIC_URL: baseUrl, SMTP_URL: sink.url, PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.resolve(__dirname, '../../templates'));
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    ({ apiKey } = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' }));
    browser = await launchBrowser();
    page = await browser.newPage({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await sink?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  it('builds the booking workflow in the builder, and a tagged contact books through it', async () => {
    // 1. The calendar.
    const calendar = await api('/calendars', {
      name: 'Discovery call',
      slug: 'discovery-call',
      timezone: 'Europe/London',
      ownerName: 'Olive',
      ownerEmail: 'olive@example.com',
      availability: WEEKDAYS_9_TO_5,
    });
    expect(calendar.status).toBe(201);

    // 2. Workflows → New workflow, the trigger.
    await page.goto('/app');
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.getByRole('navigation').getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.getByLabel('Workflow name').fill('Book a demo');
    await page.getByRole('button', { name: /^Trigger Tag added/ }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('demo-lead');

    // 3. The steps, each after the last card.
    await addStepAtTheEnd('Generate one-time link');
    await page.getByLabel(/^Calendar/).selectOption({ label: 'Discovery call' });
    await page.getByLabel('Valid for: amount').fill('14');
    await page.getByLabel('Valid for: unit').selectOption({ label: 'days' });
    await page.getByLabel('Save the link to custom field').fill('bookingLink');
    await addStepAtTheEnd('Send email');
    await page.getByLabel(/^Template/).selectOption({ label: 'booking-invite' });
    await addStepAtTheEnd('Wait');
    await page.getByLabel('Wait for: amount').fill('2');
    await page.getByLabel('Wait for: unit').selectOption({ label: 'days' });
    await page.getByLabel('Until this event').fill('appointment.booked');
    await page.getByLabel(/^Calendar/).selectOption({ label: 'Discovery call' });
    await addStepAtTheEnd('Add tag');
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('booked');
    await addStepAtTheEnd('End');
    await page.getByRole('button', { name: /^Wait/ }).first().click();
    await page.getByLabel('When the time runs out, go to').selectOption({ label: 'end' });
    await page.getByText('No problems found').waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 1.').waitFor();

    // 4. A contact tagged demo-lead; 5. the email with the link.
    const contact = await api('/contacts', {
      email: 'lena@example.com',
      firstName: 'Lena',
      phone: '+447700900123',
      tags: ['demo-lead'],
    });
    expect(contact.status).toBe(201);
    const mail = await waitFor(() => sink.accepted.find((m) => m.to.includes('lena@example.com')), {
      timeoutMs: 30_000,
      what: 'the email to Lena',
    });
    expect(mail.parsed?.subject).toBe('Lena, pick a time for your call');
    const link = /https?:\/\/[^"'\s<>]+\/book\/[A-Za-z0-9_-]+/.exec(String(mail.parsed?.html ?? ''))?.[0];
    expect(link).toBeDefined();

    // 6. Book in the browser, then the link has expired.
    await page.goto(link!);
    await page.getByRole('list', { name: /day/ }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForSelector('#appointment-time');
    expect((await page.goto(link!))?.status()).toBe(410);

    // 7. The run completed through the tag; the funnel shows one link minted, opened and booked.
    const workflow = (await (
      await fetch(`${baseUrl}/api/v1/workflows/book-a-demo`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as { id: string };
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'completed', {
      timeoutMs: 30_000,
      what: 'the run completed',
    });
    await page.goto(`/app/workflows/${workflow.id}`);
    const steps = page.getByRole('table', { name: 'Runs at each step, last 30 days' });
    expect(await steps.locator('tbody tr', { hasText: 'add-tag' }).locator('td').allTextContents()).toEqual(
      // reached, completed, waiting, failed, skipped, cancelled
      ['1', '1', '0', '0', '0', '0'],
    );
    const links = page.getByRole('table', { name: 'One-time links, last 30 days' });
    expect(await links.locator('tbody td').allTextContents()).toEqual(['1', '1 (100%)', '1 (100%)']);
  });
});
