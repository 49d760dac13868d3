import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { createApp } from '../../src/roles/http-app';
import { createCalendar } from '../../src/booking/calendar-service';
import { WEEKDAYS } from '../../src/booking/calendar-schema';
import { mintLink } from '../../src/links/link-service';
import { urlSignerOf } from '../../src/lib/signed-tokens';
import { launchBrowser, recordPageProblems, screenshot } from '../helpers/browser';
import { addContact, enrolByHand } from '../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../helpers/test-env';

/** What the page's `navigator.clipboard` and document offer (the tests compile without the DOM library). */
interface PageWindow {
  navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
  document: {
    documentElement: { scrollWidth: number };
    elementFromPoint(x: number, y: number): unknown;
    activeElement: { textContent: string };
    querySelector(selector: string): { contains(node: unknown): boolean; scrollWidth: number; clientWidth: number };
  };
}

/** `UPDATE_DOCS_SCREENSHOT=1 npx jest test/e2e/console-phone.test.ts` refreshes docs/screenshots/console-phone-*.png. */
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOT === '1';
const PHONE = { width: 390, height: 844 };

describe('the console on a phone (390 × 844)', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let accountId: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    server.on('request', createApp(env.container));
    const account = await createTestAccount(env.container, { name: 'Acme', scope: 'admin' });
    const apiKey = account.apiKey;
    accountId = account.accountId;
    const calendars: { id: string }[] = [];
    for (const [name, slug] of [
      ['Discovery call', 'discovery'],
      ['Onboarding', 'onboarding'],
    ] as const)
      calendars.push(
        await env.container.db.transaction((tx) =>
          createCalendar(tx, accountId, {
            name,
            slug,
            timezone: 'Europe/Paris',
            availability: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
            ownerName: 'Olive Owner',
            ownerEmail: 'olive.owner@acme-marketing.example.com',
          }),
        ),
      );
    const contact = await addContact(env.container, accountId, {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    // A links table wider than a phone: long URLs, contact labels, times.
    await env.container.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++)
        await mintLink(
          tx,
          { accountId, calendarId: calendars[0]!.id, contactId: contact.id },
          urlSignerOf(env.config).secret,
        );
    });

    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: baseUrl, viewport: PHONE, hasTouch: true, isMobile: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = await context.newPage();
    recordPageProblems(page, problems);
    await page.goto('/app/login');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Where the console lands (the first sign-in may ask for the account's settings) does not matter here.
    await page.waitForURL((url) => url.pathname !== '/app/login');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env?.cleanup();
  });

  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  /** Whether the whole box is on screen, and what is drawn at its centre is the element itself (nothing covers or clips it). */
  const fullyShown = async (locator: Locator): Promise<boolean> => {
    const box = await locator.boundingBox();
    if (!box) return false;
    const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height;
    const handle = await locator.elementHandle();
    const onTop = await page.evaluate(
      ({ element, x, y }) => {
        const hit = (globalThis as unknown as PageWindow).document.elementFromPoint(x, y) as {
          closest?: unknown;
        } | null;
        return hit === element || (element as { contains(node: unknown): boolean }).contains(hit);
      },
      { element: handle, x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    return inside && onTop;
  };
  const pageWidth = (): Promise<number> =>
    page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.scrollWidth);

  it('folds the navigation behind a Menu button that opens and closes it', async () => {
    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    const calendars = page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Calendars' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator(`#${await menu.getAttribute('aria-controls')}`).count()).toBe(1);
    expect(await calendars.isVisible()).toBe(false);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await fullyShown(calendars)).toBe(true);
    if (UPDATE_DOCS) copyToDocs(await screenshot(page, 'console-phone-menu'), 'console-phone-menu.png');
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await calendars.isVisible()).toBe(false);

    await menu.click();
    await calendars.click();
    await page.waitForURL('**/app/calendars');
    expect(await page.getByRole('button', { name: 'Menu', exact: true }).getAttribute('aria-expanded')).toBe('false');
  });

  it("opens a calendar row's ⋯ menu whole over the table, usable by keyboard, and Escape closes it", async () => {
    await page.goto('/app/calendars');
    const button = page.getByRole('button', { name: 'Menu of Onboarding' });
    await button.click();
    const items = ['Share', 'Edit', 'One-time links', 'Appointments'].map((name) =>
      page.getByRole('link', { name, exact: true }),
    );
    for (const item of items) expect(await fullyShown(item)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await items[0]!.isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Menu of Discovery call' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement.textContent)).toBe(
      'Share',
    );
    expect(await fullyShown(page.getByRole('link', { name: 'Share', exact: true }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/share');
  });

  it('fits the Share dialog on the phone: Copy and Close in view, a one-time link on opening its tab, Copy says so', async () => {
    const dialog = page.getByRole('dialog', { name: 'Share Discovery call' });
    const copy = dialog.getByRole('button', { name: 'Copy' });
    expect(await fullyShown(dialog.getByRole('link', { name: 'Close' }))).toBe(true);
    expect(await fullyShown(copy)).toBe(true);
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);

    await dialog.getByRole('tab', { name: 'One Time Link' }).click();
    const link = dialog.locator('#share-one-time');
    expect(await link.textContent()).toMatch(new RegExp(`^${baseUrl}/book/[A-Za-z0-9_-]{43}$`));
    await page.evaluate(() => (globalThis as unknown as PageWindow).navigator.clipboard.writeText(''));
    await copy.click();
    await dialog.getByRole('status').getByText('Copied the one-time link.').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).navigator.clipboard.readText())).toBe(
      await link.textContent(),
    );
    expect(await fullyShown(copy)).toBe(true);
    expect(await fullyShown(dialog.getByRole('link', { name: 'Close' }))).toBe(true);
    if (UPDATE_DOCS) copyToDocs(await screenshot(page, 'console-phone-share'), 'console-phone-share.png');

    // A link for one contact, picked by name, that books twice.
    const contactField = dialog.getByLabel('For contact');
    await contactField.fill('lovel');
    await waitFor(async () => (await dialog.locator('#link-contact-options option').count()) === 1, {
      what: "the picker's suggestion",
    });
    expect(await dialog.locator('#link-contact-options option').getAttribute('value')).toBe('ada@example.com');
    await contactField.fill('ada@example.com');
    await dialog.getByLabel('Bookings allowed').fill('2');
    await dialog.getByLabel('Valid for').selectOption({ label: '1 day' });
    await dialog.getByRole('button', { name: 'Generate New Link' }).click();
    const notice = dialog.getByRole('status').getByText('A new one-time link was generated.');
    await notice.waitFor();
    expect(await fullyShown(notice)).toBe(true); // above the overlay, inside the dialog
    expect(await dialog.getByText('0 / 2 used').isVisible()).toBe(true);
    expect(await dialog.getByRole('link', { name: 'Ada Lovelace <ada@example.com>' }).isVisible()).toBe(true);
    expect(await link.textContent()).toMatch(new RegExp(`^${baseUrl}/book/`));
  });

  it('shows the three embed forms, each with a Copy button, inside the dialog', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Embed Code' }).click();
    for (const name of ['Inline code', 'Popup button code', 'Plain link code']) {
      const field = dialog.getByRole('textbox', { name });
      await field.scrollIntoViewIfNeeded();
      expect(await fullyShown(field)).toBe(true);
    }
    expect(await dialog.getByRole('button', { name: 'Copy' }).count()).toBe(3);
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await page.keyboard.press('Escape');
    await page.waitForURL('**/app/calendars');
  });

  it('scrolls a wide table in its own box, never the page', async () => {
    await page.goto('/app/links');
    const box = await page.evaluate(() => {
      const scroller = (globalThis as unknown as PageWindow).document.querySelector('.table-scroll');
      return { scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth };
    });
    expect(box.scrollWidth).toBeGreaterThan(box.clientWidth);
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    if (UPDATE_DOCS) copyToDocs(await screenshot(page, 'console-phone-links'), 'console-phone-links.png');
    for (const path of [
      '/app/contacts',
      '/app/workflows',
      '/app/runs',
      '/app/calendars',
      '/app/appointments',
      '/app/keys',
    ]) {
      await page.goto(path);
      expect({ path, width: await pageWidth() }).toEqual({ path, width: PHONE.width });
    }
  });

  it('puts the contacts and runs tables each in a box of its own that scrolls, so the page never does', async () => {
    // A run: its row (a uuid, the workflow, the contact, two times) is far wider than a phone.
    await enrolByHand(env.container, accountId, 'a-workflow-with-a-long-name', [
      { id: 'call-the-webhook-of-the-shop', type: 'webhook', url: 'http://127.0.0.1:9/never' },
    ]);
    for (const path of ['/app/contacts', '/app/runs']) {
      await page.goto(path);
      const tables = await page
        .locator('table:not(.sr)')
        .evaluateAll((found) =>
          found.map((table) => (table as unknown as { parentElement: { className: string } }).parentElement.className),
        );
      expect({ path, tables }).toEqual({ path, tables: ['table-scroll'] });
      expect({ path, width: await pageWidth() }).toEqual({ path, width: PHONE.width });
    }
    const runs = await page.evaluate(() => {
      const scroller = (globalThis as unknown as PageWindow).document.querySelector('.table-scroll');
      return { scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth };
    });
    expect(runs.scrollWidth).toBeGreaterThan(runs.clientWidth);
  });
});

function copyToDocs(file: string, name: string): void {
  const dir = path.resolve(__dirname, '../../docs/screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(file, path.join(dir, name));
}
