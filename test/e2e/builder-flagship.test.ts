import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import YAML from 'yaml';
import { createCalendar } from '../../src/booking/calendar-service';
import { loadTemplates } from '../../src/messaging/template-store';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { ALL_DAY } from '../integration/booking/booking-helpers';
import { launchBrowser, recordPageProblems, screenshot } from '../helpers/browser';
import { addContact, runsOf, stepsOf } from '../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
/** The test's own tag: the example workflow in workflows/ (tag "lead") must not fire as well. */
const TAG = 'builder-flagship-e2e';
const EXIT_KEYS = ['next', 'onEvent', 'onTimeout', 'then', 'else'];

type Step = Record<string, unknown> & { id: string };
interface Definition {
  trigger: Record<string, unknown>;
  steps: Step[];
}
/** What the test reads of the page's document (the tests compile without the DOM library). */
interface Rect {
  top: number;
  bottom: number;
}
interface PageWindow {
  document: {
    activeElement: { getBoundingClientRect(): Rect } | null;
    querySelector(selector: string): { getBoundingClientRect(): Rect } | null;
  };
}
interface SavedWorkflow {
  id: string;
  status: string;
  definition: Definition;
}

/** The graph of a definition with step ids replaced by positions: the same types, settings and exits. */
function graphOf(definition: Definition) {
  const indexOf = (id: unknown) => definition.steps.findIndex((step) => step.id === id);
  return {
    trigger: definition.trigger,
    steps: definition.steps.map(({ id: _id, ...step }) =>
      Object.fromEntries(
        Object.entries(step).map(([key, value]) => [key, EXIT_KEYS.includes(key) ? `step ${indexOf(value)}` : value]),
      ),
    ),
  };
}

describe('building the flagship booking workflow in the builder, from an empty workflow', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let browser: Browser;
  let page: Page;
  let accountId: string;
  let apiKey: string;
  /** The workflow the builder saved, as the API returns it. */
  let saved: SavedWorkflow;
  /** What the browser reported: failed scripts, CSP refusals, uncaught errors, 4xx/5xx answers. */
  const problems: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ SMTP_URL: sink.url, PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.resolve(ROOT, 'templates'));
    server.on('request', createApp(env.container));
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' }));
    await env.container.db.transaction((tx) =>
      createCalendar(tx, accountId, {
        name: 'Discovery call',
        slug: 'discovery-call',
        timezone: 'UTC',
        availability: ALL_DAY,
        ownerName: 'Olive Owner',
        ownerEmail: 'olive@acme.test',
      }),
    );
    workers = startWorkers(env.container);

    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    recordPageProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sink?.close();
    await env?.cleanup();
  });

  /** Inserts a step of `type` with the "+" named `after`, and names it. */
  async function addStep(after: string, type: string, name?: string): Promise<void> {
    await page.getByRole('button', { name: `Add step after ${after}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: type, exact: true }).click();
    if (name) await page.getByLabel('Step name').fill(name);
  }

  /**
   * Opens a card's form by keyboard (its accessible name is its step type, its name, its summary):
   * focused as Tab would do, the canvas pans to show it even when it was off screen; Enter opens it.
   */
  async function openCard(type: string, name: string): Promise<void> {
    const card = page.getByRole('button', { name: new RegExp(`^${type} ${name} `) });
    await card.focus();
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as PageWindow;
      const card = document.activeElement?.getBoundingClientRect();
      const canvas = document.querySelector('.builder-canvas')?.getBoundingClientRect();
      return card && canvas && card.top >= canvas.top && card.bottom <= canvas.bottom;
    });
    await card.press('Enter');
    await page.getByRole('heading', { level: 2 }).first().waitFor();
  }

  async function waitForBooking(duration: string): Promise<void> {
    await page.getByLabel('Wait for: amount').fill(duration);
    await page.getByLabel('Wait for: unit').selectOption({ label: 'days' });
    await page.getByLabel('Until this event').fill('appointment.booked');
    await page.getByRole('combobox', { name: 'Calendar', exact: true }).selectOption({ label: 'Discovery call' });
  }

  // The page as the test left it, to look at when a step fails.
  afterEach(async () => {
    await screenshot(page, 'builder-flagship-last');
  });

  it('saves the same graph as workflows/lead-booking.yaml, by clicks and typing only', async () => {
    await page.goto('/app/workflows');
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.waitForURL('**/app/workflows');
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.waitForURL('**/app/workflows/new');

    await page.getByLabel('Workflow name').fill('Book a call with every new lead');
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await page.getByRole('button', { name: /^Trigger Tag added/ }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(TAG);

    await addStep('the trigger', 'Generate one-time link', 'Mint a one-time booking link');
    await page.getByRole('combobox', { name: 'Calendar', exact: true }).selectOption({ label: 'Discovery call' });
    await page.getByLabel('Valid for: amount').fill('14');
    await page.getByLabel('Valid for: unit').selectOption({ label: 'days' });
    await page.getByLabel('Save the link to custom field').fill('bookingLink');
    await page.getByLabel('Revoke the contact’s earlier links to this calendar').check();

    await addStep('Mint a one-time booking link', 'Send email', 'Email the link');
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'booking-invite' });

    await addStep('Email the link', 'Wait', 'Give them two days to book');
    await waitForBooking('2');

    await addStep('Give them two days to book', 'Send SMS', 'Remind them by SMS, same link');
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'booking-link-reminder' });

    await addStep('Remind them by SMS, same link', 'Wait', 'Two more days');
    await waitForBooking('2');

    await addStep('Two more days', 'Add tag', 'Tag as not booked');
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('no-booking');
    await addStep('Tag as not booked', 'Add tag', 'Tag as booked');
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('booked');
    await addStep('Tag as booked', 'End');

    // The exits, chosen among the later steps once those exist.
    await openCard('Add tag', 'Tag as not booked');
    await page.getByLabel('Then go to').selectOption({ label: 'end' });
    await openCard('Wait', 'Give them two days to book');
    await page.getByLabel('When the event arrives, go to').selectOption({ label: 'Tag as booked' });
    await page.getByLabel('When the time runs out, go to').selectOption({ label: 'Remind them by SMS, same link' });
    await openCard('Wait', 'Two more days');
    await page.getByLabel('When the event arrives, go to').selectOption({ label: 'Tag as booked' });
    await page.getByLabel('When the time runs out, go to').selectOption({ label: 'Tag as not booked' });

    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 1.').waitFor();
    await page.waitForURL(/\/app\/workflows\/[0-9a-f-]{36}\/edit$/);
    await screenshot(page, 'builder-flagship');

    const id = /workflows\/([0-9a-f-]{36})\/edit$/.exec(page.url())![1]!;
    const response = await fetch(`${baseUrl}/api/v1/workflows/${id}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(200);
    saved = (await response.json()) as SavedWorkflow;
    const file = YAML.parse(readFileSync(path.resolve(ROOT, 'workflows/lead-booking.yaml'), 'utf8')) as Definition;
    expect(graphOf(saved.definition)).toEqual(graphOf({ ...file, trigger: { ...file.trigger, tag: TAG } }));
    expect(saved.status).toBe('active');
    expect(problems).toEqual([]);
  });

  it('runs a contact given the test’s tag: the emailed link is saved, and booking it ends the run via "Booked"', async () => {
    expect(saved).toBeDefined();
    const id = saved.id;
    const contact = await addContact(env.container, accountId, { email: 'lena@example.com', tags: [TAG] });
    const mail = await waitFor(() => sink.accepted.find((message) => message.to.includes('lena@example.com')), {
      timeoutMs: 20_000,
      what: 'the email with the link',
    });
    const link = /https?:\/\/[^"'\s<>]+\/book\/[A-Za-z0-9_-]+/.exec(String(mail.parsed?.html ?? ''))?.[0];
    const run = await waitFor(async () => (await runsOf(env.container, id)).find((r) => r.status === 'waiting'), {
      what: 'the run waiting for a booking',
    });
    const [stored]: { custom_fields: Record<string, string> }[] = await env.container.db.query(
      'SELECT custom_fields FROM contacts WHERE id = $1',
      [contact.id],
    );
    expect(link).toBeDefined();
    expect(stored!.custom_fields.bookingLink).toBe(link);

    // Booked through that link: the run leaves the first wait by "Booked" and completes.
    const offer = (await (await fetch(link!, { headers: { accept: 'application/json' } })).json()) as {
      slots: { start: string }[];
    };
    const booking = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: offer.slots[0]!.start }),
    });
    expect(booking.status).toBe(201);
    await waitFor(async () => (await runsOf(env.container, id)).find((r) => r.status === 'completed'), {
      timeoutMs: 20_000,
      what: 'the run completed',
    });
    const steps = await stepsOf(env.container, run.id);
    const names = new Map(saved.definition.steps.map((step) => [step.id, step.name ?? step.type]));
    expect(steps.map((step) => [names.get(step.step_id), step.status])).toEqual([
      ['Mint a one-time booking link', 'completed'],
      ['Email the link', 'completed'],
      ['Give them two days to book', 'completed'],
      ['Tag as booked', 'completed'],
      ['end', 'completed'],
    ]);
    expect(steps[2]!.output).toMatchObject({ resumedBy: 'event' });
    const [tagged]: { tags: string[] }[] = await env.container.db.query('SELECT tags FROM contacts WHERE id = $1', [
      contact.id,
    ]);
    expect(tagged!.tags).toContain('booked');
    expect(tagged!.tags).not.toContain('no-booking');
  });
});
