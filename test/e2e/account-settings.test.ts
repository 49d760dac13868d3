import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { launchBrowser, recordPageProblems, screenshot } from '../helpers/browser';
import { addContact, addWorkflow, runsOf } from '../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

/** A console time as the pages write it, in a zone whose abbreviation is `zone`. */
const timeIn = (zone: string): RegExp => new RegExp(`^\\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} ${zone}$`);

describe('account settings asked at the first sign-in, in a browser', () => {
  let server: Server;
  let env: TestEnv;
  let workers: RunningWorkers;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl });
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    let accountId: string;
    ({ accountId, apiKey } = await createTestAccount(env.container, {
      name: 'Default',
      scope: 'admin',
      settingsConfirmed: false,
    }));
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'welcome',
      name: 'Welcome',
      trigger: { type: 'contact.tag_added', tag: 'lead' },
      steps: [{ id: 'pause', type: 'wait', duration: '2d' }],
    });
    await addContact(env.container, accountId, { email: 'ada@example.com', tags: ['lead'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id))[0]?.status === 'waiting', {
      what: 'a waiting run',
    });

    browser = await launchBrowser();
    // The viewer sits in New York; the account will say Tokyo.
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: 1366, height: 900 },
      timezoneId: 'America/New_York',
    });
    page = await context.newPage();
    recordPageProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  const firstStartedTime = async (): Promise<string> =>
    (await page.getByRole('row').nth(1).getByRole('cell').nth(5).textContent())!.trim();

  it("asks an admin's first sign-in for the account's settings, then shows runs in the chosen zone", async () => {
    await page.goto('/app/runs');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/settings?welcome=1&next=%2Fapp%2Fruns');
    await page.getByRole('heading', { name: 'Welcome to Linkflow' }).waitFor();
    await page.getByText('Tell us about your business: contacts see this name in emails').waitFor();
    await screenshot(page, 'account-settings-welcome');

    await page.getByLabel('Account name').fill('Acme Coaching');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Asia/Tokyo');
    await page.getByLabel('Sender name').fill('Ada at Acme');
    await page.getByLabel('Reply-to address').fill('ada@acme.test');
    await page.getByRole('radio', { name: "The account's time zone" }).check();
    await page.getByRole('button', { name: 'Save and continue' }).click();

    await page.waitForURL('**/app/runs');
    expect(await firstStartedTime()).toMatch(timeIn('GMT\\+9'));
    await page.getByText('Times in Asia/Tokyo').waitFor();
    await screenshot(page, 'account-settings-runs-tokyo');
  });

  it("shows times in the viewer's own zone once the account asks for it", async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/app/settings');
    expect(await page.getByLabel('Account name').inputValue()).toBe('Acme Coaching');
    await page.getByRole('radio', { name: "My browser's time zone" }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();

    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.waitForURL('**/app/runs');
    expect(await firstStartedTime()).toMatch(timeIn('E[SD]T'));
    await page.getByText("Times in America/New_York (your browser's zone)").waitFor();
    await page
      .getByRole('link', { name: /^[0-9a-f-]{36}$/ })
      .first()
      .click();
    await page.getByText(/^Waits 2 days \(until \w{3} \d{1,2} \w{3}(?: \d{4})?, \d{2}:\d{2} E[SD]T\)\./).waitFor();
    await screenshot(page, 'account-settings-run');
    expect(problems).toEqual([]);
  });
});
