import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import YAML from 'yaml';
import { createCalendar } from '../../src/booking/calendar-service';
import { loadTemplates } from '../../src/messaging/template-store';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { ARTIFACTS_DIR, launchBrowser, recordPageProblems } from '../helpers/browser';
import { addContact, addWorkflow, runsOf } from '../helpers/engine';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';
import { ALL_DAY } from '../integration/booking/booking-helpers';

jest.setTimeout(120_000);

/** `UPDATE_DOCS_SCREENSHOT=1 npx jest test/e2e/workflow-funnel.test.ts` refreshes docs/funnel-*.png. */
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOT === '1';
const ROOT = path.resolve(__dirname, '../..');
/** The tag of this test's copy of the flagship, so that no other workflow fires with it. */
const TAG = 'funnel-lead';

/**
 * The funnel on the workflow page, from real runs: the flagship mints a link for four tagged
 * contacts, two booking pages are opened (one of them booked), a third is only probed with HEAD.
 */
describe('the funnel on the workflow page', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let sink: SmtpSink;
  let workers: RunningWorkers;
  let browser: Browser;
  let page: Page;
  let workflowId: string;
  /** What the browser reported: failed scripts, CSP refusals, uncaught errors, 4xx/5xx. */
  const problems: string[] = [];

  /** The rows of a table, found by its caption, as lists of cell texts. */
  const tableRows = (caption: string): Promise<string[][]> =>
    page
      .getByRole('table', { name: caption })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (cell) =>
            (cell.textContent ?? '').trim(),
          ),
        ),
      );

  const snap = async (name: string): Promise<void> => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, `${name}.png`);
    await page.locator('#funnel').screenshot({ path: file });
    if (UPDATE_DOCS) copyFileSync(file, path.resolve(ROOT, `docs/${name}.png`));
  };

  beforeAll(async () => {
    // Listen first: PUBLIC_URL (the minted links) must be the address the test opens.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sink = await startSmtpSink();
    env = await createTestEnv({ PUBLIC_URL: baseUrl, SMTP_URL: sink.url, PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.resolve(ROOT, 'templates'));
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    const { accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' });
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
    const flagship = YAML.parse(readFileSync(path.resolve(ROOT, 'workflows/lead-booking.yaml'), 'utf8'));
    flagship.trigger.tag = TAG;
    workflowId = (await addWorkflow(env.container, accountId, flagship)).id;

    const contacts = [];
    for (const name of ['ada', 'bea', 'cy', 'dee'])
      contacts.push(await addContact(env.container, accountId, { email: `${name}@example.com`, tags: [TAG] }));
    await waitFor(
      async () => {
        const runs = await runsOf(env.container, workflowId);
        return runs.length === 4 && runs.every((run) => run.status === 'waiting');
      },
      { timeoutMs: 30_000, what: 'four runs waiting for a booking' },
    );
    const links = await Promise.all(
      contacts.map(async (contact) => {
        const rows: { custom_fields: Record<string, string> }[] = await env.container.db.query(
          'SELECT custom_fields FROM contacts WHERE id = $1',
          [contact.id],
        );
        return rows[0]!.custom_fields.bookingLink!;
      }),
    );

    // Ada opens her page and books; Bea only opens hers; Cy's link is probed with HEAD (not an opening).
    const slots = await fetch(links[0]!, { headers: { accept: 'application/json' } });
    expect(slots.status).toBe(200);
    const { start } = ((await slots.json()) as { slots: { start: string }[] }).slots[0]!;
    const booked = await fetch(links[0]!, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ start }),
    });
    expect(booked.status).toBe(201);
    expect((await fetch(links[1]!)).status).toBe(200);
    expect((await fetch(links[2]!, { method: 'HEAD' })).status).toBe(200);
    await waitFor(async () => (await runsOf(env.container, workflowId)).some((run) => run.status === 'completed'), {
      timeoutMs: 30_000,
      what: 'the booked run completed',
    });

    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    recordPageProblems(page, problems);
    await page.goto('/app/workflows');
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.waitForURL('**/app/workflows');
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await sink?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  it('draws how far the runs got, step by step, with the numbers for screen readers', async () => {
    await page.goto(`/app/workflows/${workflowId}`);
    const chart = page.getByRole('img', { name: 'Runs reaching each step, last 30 days' });
    await chart.waitFor();
    expect(await tableRows('Runs at each step, last 30 days')).toEqual([
      // step, reached, completed, waiting, failed, skipped, cancelled
      ['Mint a one-time booking link', '4', '4', '0', '0', '0', '0'],
      ['Email the link', '4', '4', '0', '0', '0', '0'],
      ['Give them two days to book', '4', '1', '3', '0', '0', '0'],
      ['Remind them by SMS, same link', '0', '0', '0', '0', '0', '0'],
      ['Two more days', '0', '0', '0', '0', '0', '0'],
      ['Tag as not booked', '0', '0', '0', '0', '0', '0'],
      ['Tag as booked', '1', '1', '0', '0', '0', '0'],
      ['done', '1', '1', '0', '0', '0', '0'],
    ]);
    // The bars are drawn to scale: the wait step's run that booked is a quarter of the widest bar.
    const waitRow = chart.locator('g.funnel-row').nth(2);
    expect(await waitRow.locator('rect.funnel-completed').getAttribute('width')).toBe('25%');
    expect(await waitRow.locator('rect.funnel-waiting').getAttribute('width')).toBe('75%');
    await snap('funnel-desktop');
  });

  it('draws minted → opened → booked, and says that mail scanners open links too', async () => {
    await page.goto(`/app/workflows/${workflowId}`);
    const chart = page.getByRole('img', { name: 'One-time links: minted, opened, booked, last 30 days' });
    await chart.waitFor();
    // HEAD is not an opening: Cy's probed link does not count.
    expect(await tableRows('One-time links, last 30 days')).toEqual([['4', '2 (50%)', '1 (25%)']]);
    expect(await chart.locator('rect.funnel-booked').getAttribute('width')).toBe('25%');
    expect(await page.locator('#funnel').textContent()).toContain('Mail scanners and link previews open links too');
  });

  it('changes the period with the form, and fits a 390 px phone', async () => {
    await page.goto(`/app/workflows/${workflowId}`);
    await page.getByLabel('Period').selectOption({ label: 'Last 7 days' });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/\?period=7d#funnel$/);
    expect(await page.getByLabel('Period').inputValue()).toBe('7d');
    expect(await tableRows('One-time links, last 7 days')).toEqual([['4', '2 (50%)', '1 (25%)']]);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('img', { name: 'Runs reaching each step, last 7 days' }).waitFor();
    // Nothing in the section is wider than the phone's screen.
    const overflow = await page
      .locator('#funnel')
      .evaluate(
        (section) =>
          (section as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth -
          (section as unknown as { clientWidth: number }).clientWidth,
      );
    expect(overflow).toBeLessThanOrEqual(0);
    await snap('funnel-phone');
    expect(problems).toEqual([]);
  });
});
