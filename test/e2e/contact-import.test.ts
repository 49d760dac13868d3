import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { launchBrowser, recordPageProblems, screenshot } from '../helpers/browser';
import { addWorkflow, runsOf } from '../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

jest.setTimeout(120_000);

/** 1,000 rows: every 100th has a broken email and every 100th (offset) none at all, 20 failures in all. */
function peopleCsv(): string {
  const rows = ['email,First Name,last_name,Phone,Company'];
  for (let i = 0; i < 1000; i++) {
    if (i % 100 === 7) rows.push(`broken-${i},Broken,Row${i},,Acme`);
    else if (i % 100 === 8) rows.push(`,Nobody,Row${i},,Acme`);
    else
      rows.push(`person${i}@example.com,First${i},Last${i},+1 415 555 ${String(i).padStart(4, '0')},Company ${i % 7}`);
  }
  return `${rows.join('\n')}\n`;
}

describe('importing 1,000 contacts from a CSV file in the console (desktop)', () => {
  let server: Server;
  let env: TestEnv;
  let workers: RunningWorkers;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  let workflowId: string;
  let file: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    let accountId: string;
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme' }));
    workflowId = (
      await addWorkflow(env.container, accountId, {
        id: 'webinar-follow-up',
        name: 'Webinar follow-up',
        trigger: { type: 'contact.tag_added', tag: 'webinar' },
        steps: [{ id: 'mark', type: 'add_tag', tag: 'followed-up' }],
      })
    ).id;
    file = path.join(mkdtempSync(path.join(tmpdir(), 'linkflow-import-')), 'webinar-attendees.csv');
    writeFileSync(file, peopleCsv());

    browser = await launchBrowser();
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    recordPageProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await env?.cleanup();
  });

  it('previews the enrolment, asks to confirm, shows the progress to 100 % and offers the failed rows', async () => {
    await page.goto('/app/contacts');
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.waitForURL('**/app/contacts');
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.waitForURL('**/app/contacts/import');

    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByLabel(/^Tags/).fill('webinar');
    await page.getByRole('button', { name: 'Upload and review' }).click();

    // The confirm step: the header's preview with a field per column, and what the tag will start.
    await page.getByRole('heading', { name: 'Review the import' }).waitFor();
    await page
      .getByText("Tagging 1,000 contacts with 'webinar' will enrol them in 'Webinar follow-up' (active).")
      .waitFor();
    expect(await page.getByRole('combobox', { name: 'Import the column email as' }).inputValue()).toBe('email');
    expect(await page.getByRole('combobox', { name: 'Import the column First Name as' }).inputValue()).toBe(
      'firstName',
    );
    await page
      .getByRole('combobox', { name: 'Import the column Company as' })
      .selectOption({ label: 'Custom field "Company"' });
    await screenshot(page, 'contact-import-confirm');
    expect(await runsOf(env.container, workflowId)).toHaveLength(0); // nothing started before the confirmation

    await page.getByRole('button', { name: 'Start import' }).click();
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await bar.waitFor();
    await waitFor(async () => (await bar.getAttribute('aria-valuenow')) === '100', {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'the progress bar at 100 %',
    });
    await page.getByText('Import completed: 980 contacts created, 0 updated, 20 rows failed.').waitFor();
    await screenshot(page, 'contact-import-progress');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the rows that failed' }).click(),
    ]);
    const report = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(report[0]).toBe('row,email,First Name,last_name,Phone,Company,reason');
    expect(report).toContain('9,broken-7,Broken,Row7,,Acme,email: must be a valid email address');
    expect(report).toContain('10,,Nobody,Row8,,Acme,no email');
    expect(report.filter(Boolean)).toHaveLength(21);

    // The tag started the workflow for the imported contacts (every one of them: test/integration/contacts).
    await waitFor(async () => (await runsOf(env.container, workflowId)).length > 0, {
      what: 'runs of the tag-triggered workflow',
    });
    expect(problems).toEqual([]);
  });
});
