import { copyFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import YAML from 'yaml';
import { createCalendar } from '../../src/booking/calendar-service';
import { WEEKDAYS } from '../../src/booking/calendar-schema';
import { loadTemplates } from '../../src/messaging/template-store';
import { createApp } from '../../src/roles/http-app';
import { launchBrowser, recordPageProblems, screenshot } from '../helpers/browser';
import { addContact, addWorkflow } from '../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../helpers/test-env';

/** `UPDATE_DOCS_SCREENSHOT=1 npx jest test/e2e/builder.test.ts` refreshes docs/builder-*.png. */
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOT === '1';
const ROOT = path.resolve(__dirname, '../..');

/** What the test reads of the page's document (the tests compile without the DOM library). */
interface FocusWindow {
  document: { activeElement: { getAttribute(name: string): string | null } | null };
}

interface ApiWorkflow {
  id: string;
  slug: string;
  status: string;
  version: number;
  definition: { trigger: Record<string, unknown>; steps: Record<string, unknown>[] };
}

describe('the workflow builder in a browser', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiKey: string;
  let flagshipId: string;
  let accountId: string;
  /** What the browser reported: failed scripts, CSP refusals, uncaught errors. */
  const problems: string[] = [];

  const api = async <T>(pathname: string): Promise<T> => {
    const response = await fetch(`${baseUrl}/api/v1${pathname}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    await loadTemplates(path.resolve(ROOT, 'templates'));
    server.on('request', createApp(env.container));
    ({ accountId, apiKey } = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' }));
    await env.container.db.transaction((tx) =>
      createCalendar(tx, accountId, {
        name: 'Discovery call',
        slug: 'discovery-call',
        timezone: 'Europe/Paris',
        availability: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
        ownerName: 'Olive Owner',
        ownerEmail: 'olive@acme.test',
      }),
    );
    // The flagship, on a tag of its own, to show branches and exits on the canvas.
    const flagship = YAML.parse(readFileSync(path.resolve(ROOT, 'workflows/lead-booking.yaml'), 'utf8'));
    flagship.trigger.tag = 'builder-flagship';
    flagshipId = (await addWorkflow(env.container, accountId, flagship)).id;

    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    recordPageProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  it('builds a workflow from an empty one by accessible names only, and saves it through the API', async () => {
    await page.goto('/app/workflows');
    await page.fill('#apiKey', apiKey);
    await page.click('button[type=submit]');
    await page.waitForURL('**/app/workflows');
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.waitForURL('**/app/workflows/new');

    await page.getByLabel('Workflow name').fill('Builder test');
    await page.getByRole('button', { name: /^Trigger Tag added/ }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('builder-e2e');

    await page.getByRole('button', { name: 'Add step after the trigger' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('welcomed');

    await page.getByRole('button', { name: 'Add step after add-tag' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Wait', exact: true }).click();
    await page.getByLabel('Wait for: amount').fill('2');
    await page.getByLabel('Wait for: unit').selectOption({ label: 'days' });

    await page.getByRole('button', { name: 'Add step after wait' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End', exact: true }).click();
    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 1.').waitFor();
    await page.waitForURL(/\/app\/workflows\/[0-9a-f-]{36}\/edit$/);

    const { items } = await api<{ items: { id: string; slug: string }[] }>('/workflows');
    const saved = await api<ApiWorkflow>(`/workflows/${items.find((item) => item.slug === 'builder-test')!.id}`);
    expect(saved.definition.trigger).toEqual({ type: 'contact.tag_added', tag: 'builder-e2e' });
    expect(saved.definition.steps.map(({ type }) => type)).toEqual(['add_tag', 'wait', 'end']);
    expect(saved.definition.steps[0]).toMatchObject({ tag: 'welcomed' });
    expect(saved.definition.steps[1]).toMatchObject({ duration: '2d' });
    expect(saved.status).toBe('draft');

    // The Code tab: the same definition as YAML in CodeMirror (its styles pass the strict CSP).
    await page.getByRole('tab', { name: 'Code' }).click();
    const yaml = page.getByRole('textbox', { name: 'Definition (YAML)' });
    await yaml.getByText('duration: 2d').waitFor();
    expect(await yaml.textContent()).toContain('tag: builder-e2e');
    await page.getByRole('tab', { name: 'Canvas' }).click();
    expect(problems).toEqual([]);
  });

  it("sets a custom field of the contact through key/value rows, saved as the step's set object", async () => {
    await page.goto('/app/workflows/new');
    await page.getByLabel('Workflow name').fill('Plan update');
    await page.getByRole('button', { name: /^Trigger Tag added/ }).click();
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('plan-e2e');

    await page.getByRole('button', { name: 'Add step after the trigger' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Update contact', exact: true }).click();
    // Every keystroke re-renders the canvas: no card or "Add step" button may drop out of sight (and
    // out of the accessibility tree) while it does.
    await page.getByRole('button', { name: 'Add step after update-contact' }).waitFor();
    // (In the page, as a string: the test's TypeScript has no DOM types.)
    await page.evaluate(`
      window.hiddenNodes = [];
      new MutationObserver((records) => {
        for (const { target } of records)
          if (target.matches('.react-flow__node') && target.style.visibility === 'hidden')
            window.hiddenNodes.push(target.dataset.id);
      }).observe(document.querySelector('.react-flow'), { attributes: true, attributeFilter: ['style'], subtree: true });
    `);
    await page.getByRole('button', { name: 'Add field', exact: true }).click();
    await page.getByRole('combobox', { name: 'Field 1: name' }).fill('customFields.plan');
    await page.getByRole('textbox', { name: 'Field 1: value' }).fill('gold');
    await page.getByRole('button', { name: 'Add field', exact: true }).click();
    await page.getByRole('combobox', { name: 'Field 2: name' }).fill('firstName');
    await page.getByRole('button', { name: 'Remove field 2' }).click();
    expect(await page.evaluate('window.hiddenNodes')).toEqual([]);

    await page.getByRole('button', { name: 'Add step after update-contact' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End', exact: true }).click();
    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 1.').waitFor();

    const { items } = await api<{ items: { id: string; slug: string }[] }>('/workflows');
    const saved = await api<ApiWorkflow>(`/workflows/${items.find((item) => item.slug === 'plan-update')!.id}`);
    expect(saved.definition.steps[0]).toEqual({
      id: 'update-contact',
      type: 'update_contact',
      set: { 'customFields.plan': 'gold' },
    });
    expect(problems).toEqual([]);
  });

  it('lists each problem and jumps to its card', async () => {
    await page.goto('/app/workflows/new');
    await page.getByRole('button', { name: 'Add step after the trigger' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send email' }).click();
    const problem = page.getByRole('button', { name: /^send-email: an email needs a subject/ });
    await problem.click();
    await page.waitForFunction(
      () => (globalThis as unknown as FocusWindow).document.activeElement?.getAttribute('data-card') === 'step-0',
    );
    expect(await page.locator('[data-card="step-0"]').getAttribute('aria-pressed')).toBe('true');
  });

  it('shows on each card how many runs stand at that step now', async () => {
    for (const n of [1, 2]) {
      const contact = await addContact(env.container, accountId, { email: `waiting-${n}@example.com` });
      await env.container.db.query(
        `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key)
         VALUES ($1, $2, 1, $3, 'waiting', 'wait-for-booking', '{"type":"manual","data":{}}', $4)`,
        [accountId, flagshipId, contact.id, `builder-test:${n}`],
      );
    }
    await page.goto(`/app/workflows/${flagshipId}/edit`);
    const waiting = page.getByRole('button', { name: /^Wait Give them two days to book/ });
    await waiting.getByText('2 runs at this step').waitFor({ state: 'attached' });
    expect(await page.getByText(/runs? at this step/).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('asks before saving an active workflow, then saves a new version', async () => {
    await page.goto(`/app/workflows/${flagshipId}`);
    await page.getByRole('link', { name: 'Edit in builder' }).click();
    await page.getByRole('button', { name: 'Add step after Give them two days to book: No booking' }).waitFor();
    await screenshot(page, 'builder-desktop');
    if (UPDATE_DOCS)
      copyFileSync(await screenshot(page, 'builder-desktop'), path.resolve(ROOT, 'docs/builder-desktop.png'));

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('new runs will use the new version at once');
    await dialog.getByRole('button', { name: 'Save new version' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    expect((await api<ApiWorkflow>(`/workflows/${flagshipId}`)).version).toBe(2);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('button', { name: /^Send SMS Remind them by SMS/ }).click();
    await screenshot(page, 'builder-phone');
    if (UPDATE_DOCS)
      copyFileSync(await screenshot(page, 'builder-phone'), path.resolve(ROOT, 'docs/builder-phone.png'));
    expect(problems).toEqual([]);
  });
});
