import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCalendar } from '../../src/booking/calendar-service';
import { WEEKDAYS } from '../../src/booking/calendar-schema';
import { createApp } from '../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../src/roles/worker';
import { launchBrowser, recordPageProblems } from '../helpers/browser';
import { addWorkflow } from '../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../helpers/test-env';

interface ApiWorkflow {
  id: string;
  status: string;
  version: number;
  definition: { name: string; steps: Record<string, unknown>[] };
}

/** A small draft on a tag of its own: tag the contact, then end. */
const smallDraft = (slug: string) => ({
  id: slug,
  name: `Workflow ${slug}`,
  status: 'draft',
  trigger: { type: 'contact.tag_added', tag: `${slug}-tag` },
  steps: [
    { id: 'welcome', type: 'add_tag', name: 'Welcome', tag: 'welcomed' },
    { id: 'done', type: 'end', name: 'Finish' },
  ],
});

describe('the builder: Test, the Code tab, Versions, and warnings on the workflows list', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let workers: RunningWorkers;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let accountId: string;
  let apiKey: string;
  /** What the browser reported: failed scripts, CSP refusals, uncaught errors, refused requests. */
  const problems: string[] = [];
  /** Refusals a test provokes on purpose (e.g. testing with an unknown email). */
  const expectedRefusals = new Set<string>();

  const api = async <T>(pathname: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${baseUrl}/api/v1${pathname}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    server.on('request', createApp(env.container));
    workers = startWorkers(env.container);
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' }));

    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    recordPageProblems(page, problems, expectedRefusals);

    await page.goto('/app/workflows');
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.waitForURL('**/app/workflows');
  });

  afterAll(async () => {
    await browser?.close();
    await workers?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  it('tests a draft with a contact picked by email and opens its run, marked as a test', async () => {
    const contact = await api<{ id: string }>('/contacts', { method: 'POST', body: { email: 'tess@acme.test' } });
    await page.goto('/app/workflows/new');
    await page.getByLabel('Workflow name').fill('Test run draft');
    await page.getByRole('button', { name: /^Trigger Tag added/ }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('test-run-draft');
    await page.getByRole('button', { name: 'Add step after the trigger' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('tested');

    // Never saved: there is no version to test yet, and the dialog says so.
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Test this workflow' });
    expect(await dialog.textContent()).toContain('Save the workflow first');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 1.').waitFor();
    const workflowId = /\/app\/workflows\/([0-9a-f-]{36})\/edit$/.exec(page.url())![1]!;
    expect((await api<ApiWorkflow>(`/workflows/${workflowId}`)).status).toBe('draft');

    // An email no contact has: the API's 404, said in the dialog.
    expectedRefusals.add(`404 /api/v1/workflows/${workflowId}/test-runs`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await dialog.getByLabel("Contact's email").fill('nobody@acme.test');
    await dialog.getByRole('button', { name: 'Start test run' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('No contact has this email');

    await dialog.getByLabel("Contact's email").fill('tess@acme.test');
    await dialog.getByRole('button', { name: 'Start test run' }).click();
    await page.waitForURL(/\/app\/runs\/[0-9a-f-]{36}$/);
    const runId = page.url().split('/').pop()!;
    const run = await api<{ test: boolean; contactId: string; workflowId: string }>(`/runs/${runId}`);
    expect(run).toMatchObject({ test: true, contactId: contact.id, workflowId });
    expect(problems).toEqual([]);
  });

  it('keeps the Code tab and the canvas in sync both ways', async () => {
    const definition = smallDraft('code-round-trip');
    const { id } = await addWorkflow(env.container, accountId, definition);
    await page.goto(`/app/workflows/${id}/edit`);
    await page.getByRole('button', { name: /^Add tag Welcome/ }).waitFor();

    // YAML → canvas: rename the step in the editor, typed over its old name.
    await page.getByRole('tab', { name: 'Code' }).click();
    const editor = page.getByRole('textbox', { name: 'Definition (YAML)' });
    await editor.locator('.cm-line', { hasText: 'name: Welcome' }).click();
    await page.keyboard.press('End');
    for (let typed = 0; typed < 'Welcome'.length; typed++) await page.keyboard.press('Backspace');
    await page.keyboard.type('Greeting');
    await page.getByRole('tab', { name: 'Canvas' }).click();
    await page.getByRole('button', { name: /^Add tag Greeting/ }).waitFor();

    // Canvas → YAML: rename it in its form, then open the Code tab.
    await page.getByRole('button', { name: /^Add tag Greeting/ }).click();
    await page.getByLabel('Step name').fill('Say hello');
    await page.getByRole('tab', { name: 'Code' }).click();
    await editor.getByText('name: Say hello').waitFor();

    // And with the Code tab open, a change in the side panel rewrites the text in place.
    await page.getByLabel('Step name').fill('Wave');
    await editor.getByText('name: Wave').waitFor();
    expect(await editor.textContent()).not.toContain('Say hello');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const saved = await api<ApiWorkflow>(`/workflows/${id}`);
    expect(saved.definition.steps[0]).toMatchObject({ id: 'welcome', name: 'Wave', tag: 'welcomed' });
    expect(problems).toEqual([]);
  });

  it('shows a diff against an old version and restores it as a new version', async () => {
    const { id } = await addWorkflow(env.container, accountId, smallDraft('restore-me'));
    await page.goto(`/app/workflows/${id}/edit`);
    await page.getByRole('button', { name: /^Add tag Welcome/ }).click();
    await page.getByLabel('Step name').fill('Second name');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByLabel('Step name').fill('Third name');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 3.').waitFor();

    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Version 1' }).click();
    const diff = page.getByLabel('Differences from version 1');
    await diff.waitFor();
    expect(await diff.locator('.diff-removed').allTextContents()).toEqual(['−     name: Welcome']);
    expect(await diff.locator('.diff-added').allTextContents()).toEqual(['+     name: Third name']);

    await page.getByRole('button', { name: 'Restore this version' }).click();
    await page.getByText('Restored version 1 as version 4.').waitFor();
    const restored = await api<ApiWorkflow>(`/workflows/${id}`);
    const first = await api<{ definition: unknown; hash: string }>(`/workflows/${id}/versions/1`);
    const fourth = await api<{ definition: unknown; hash: string }>(`/workflows/${id}/versions/4`);
    expect(restored.version).toBe(4);
    expect(restored.definition).toEqual(first.definition);
    expect(fourth.hash).toBe(first.hash);

    // The builder holds the restored definition: the canvas shows the old name.
    await page.getByRole('tab', { name: 'Canvas' }).click();
    await page.getByRole('button', { name: /^Add tag Welcome/ }).waitFor();
    expect(problems).toEqual([]);
  });

  it("warns on the workflows list when an active workflow's calendar slug was changed", async () => {
    const calendar = await env.container.db.transaction((tx) =>
      createCalendar(tx, accountId, {
        name: 'Demo call',
        slug: 'demo-call',
        timezone: 'Europe/Paris',
        availability: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
        ownerName: 'Olive Owner',
        ownerEmail: 'olive@acme.test',
      }),
    );
    await addWorkflow(env.container, accountId, {
      id: 'demo-links',
      name: 'Demo links',
      status: 'active',
      trigger: { type: 'contact.tag_added', tag: 'demo-links-tag' },
      steps: [
        {
          id: 'link',
          type: 'generate_one_time_link',
          name: 'Mint a demo link',
          calendar: 'demo-call',
          expiresIn: '7d',
        },
      ],
    });
    await page.goto('/app/workflows');
    expect(await page.getByRole('list', { name: 'Warnings of Demo links' }).count()).toBe(0);

    await api(`/calendars/${calendar.id}`, { method: 'PATCH', body: { slug: 'demo-call-2' } });
    await page.reload();
    const warnings = page.getByRole('list', { name: 'Warnings of Demo links' });
    expect(await warnings.textContent()).toContain(
      "'Mint a demo link' names the calendar 'demo-call', which this account no longer has (renamed or deleted?)",
    );
    expect(problems).toEqual([]);
  });
});
