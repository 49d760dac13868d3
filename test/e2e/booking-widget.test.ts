import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ICAL from 'ical.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { embedSnippets } from '../../src/booking/embed-code';
import { createApp } from '../../src/roles/http-app';
import { launchBrowser, recordPageProblems, screenshot } from '../helpers/browser';
import { addContact } from '../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../helpers/test-env';
import { bookingApi, type BookingApi } from '../integration/booking/booking-helpers';

jest.setTimeout(120_000);

/** `UPDATE_DOCS_SCREENSHOT=1 npx jest test/e2e/booking-widget.test.ts` refreshes docs/screenshots/booking-widget-*.png. */
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOT === '1';
const DOCS = path.resolve(__dirname, '../../docs/screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Spaces as plain spaces: ICU versions differ on the one before "PM" (U+202F or not). */
const plain = (text: string | null): string => (text ?? '').replace(/\s/g, ' ');

/** What the page shows for an instant in a zone, as the widget words it in an en-US browser. */
const timeIn = (iso: string, zone: string): string =>
  plain(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso)));

describe('the booking widget in a browser', () => {
  let server: Server;
  let baseUrl: string;
  let env: TestEnv;
  let browser: Browser;
  let api: BookingApi;
  let accountId: string;
  let calendarId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = await createTestEnv({ PUBLIC_URL: baseUrl, PUBLIC_RATE_LIMIT: '0' });
    server.on('request', createApp(env.container));
    const account = await createTestAccount(env.container, { name: 'Acme' });
    accountId = account.accountId;
    api = bookingApi(server, account.apiKey);
    calendarId = (
      await api.createCalendar({
        name: 'Discovery call',
        slug: 'discovery-call',
        timezone: 'America/New_York',
        availability: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
        bookingWindowDays: 60,
        ownerName: 'Olive Owner',
        ownerEmail: 'olive@example.com',
      })
    ).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env.cleanup();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function openPage(options: Parameters<Browser['newContext']>[0]): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-US', ...options });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    recordPageProblems(page, problems);
    return { page, problems };
  }

  const appointmentsOf = async (email: string): Promise<{ start_at: Date; status: string }[]> =>
    env.container.db.query(
      `SELECT a.start_at, a.status FROM appointments a JOIN contacts c ON c.id = a.contact_id
        WHERE c.account_id = $1 AND c.email = $2 ORDER BY a.created_at`,
      [accountId, email],
    );

  /** Chooses a free day other than the one chosen already (next month's first when this one has none left). */
  async function chooseAnotherDay(page: Page): Promise<void> {
    const grid = page.getByRole('grid');
    const free = grid.getByRole('button', { disabled: false, pressed: false });
    if ((await free.count()) === 0) {
      await page.getByRole('button', { name: 'Next month' }).click();
      await grid.locator('tbody[aria-busy=false]').waitFor();
    }
    await free.first().click();
  }

  it('books through the month grid in a zone picked from the searchable list, on a phone', async () => {
    const { page, problems } = await openPage({ viewport: PHONE, timezoneId: 'America/Los_Angeles', hasTouch: true });
    await page.goto('/c/discovery-call');
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    // The zone comes from the browser, not from the calendar.
    expect(await zone.inputValue()).toMatch(/^America\/Los Angeles \(GMT-[78]\)$/);
    await page.getByRole('grid').locator('tbody[aria-busy=false]').waitFor();
    expect(await page.getByRole('grid').getByRole('button', { disabled: true }).count()).toBeGreaterThan(0);

    await zone.fill('tokyo');
    await page.getByRole('option', { name: /^Asia\/Tokyo/ }).click();
    expect(await zone.inputValue()).toBe('Asia/Tokyo (GMT+9)');
    await page.getByRole('status').filter({ hasText: 'in Asia/Tokyo time' }).waitFor();

    await chooseAnotherDay(page);
    const times = page.getByRole('list', { name: /day/ }).getByRole('button');
    const time = times.nth(1);
    const start = (await time.getAttribute('data-start'))!;
    expect(plain(await time.textContent())).toBe(timeIn(start, 'Asia/Tokyo'));
    await time.click();
    await page.getByLabel('Your name').fill('Tomo Tanaka');
    await page.getByLabel('Your email').fill('tomo@example.com');
    // Confirm sits beside the chosen time, in view on the phone.
    const confirm = page.getByRole('button', { name: 'Confirm' });
    const [timeBox, confirmBox] = [await time.boundingBox(), await confirm.boundingBox()];
    expect(Math.abs(timeBox!.y - confirmBox!.y)).toBeLessThan(4);
    expect(confirmBox!.x + confirmBox!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'booking-widget-phone');
    if (UPDATE_DOCS) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(await screenshot(page, 'booking-widget-phone'), path.join(DOCS, 'booking-widget-phone.png'));
    }

    await confirm.click();
    await page.getByRole('heading', { name: 'You’re booked' }).waitFor();
    expect(plain(await page.textContent('#appointment-time'))).toContain(timeIn(start, 'Asia/Tokyo'));
    expect(await page.textContent('#appointment-time')).toContain('GMT+9');
    expect(await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href')).toMatch(
      /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&/,
    );
    expect(await appointmentsOf('tomo@example.com')).toEqual([{ start_at: new Date(start), status: 'booked' }]);

    // Down to 320 px nothing runs off the side.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto('/c/discovery-call');
    await page.getByRole('grid').locator('tbody[aria-busy=false]').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(problems).toEqual([]);
  });

  it('books with the keyboard alone, hands out the .ics file, and moves the booking from the reschedule link', async () => {
    const { page, problems } = await openPage({
      viewport: DESKTOP,
      timezoneId: 'Europe/Berlin',
      acceptDownloads: true,
    });
    const contact = await addContact(env.container, accountId, { email: 'keys@example.com', firstName: 'Kay' });
    const link = await api.mintLink(calendarId, { contactId: contact.id });
    await page.goto(link.url);
    await page.getByRole('grid').locator('tbody[aria-busy=false]').waitFor();
    const focused = () =>
      page.evaluate<{ label: string | null; text: string; disabled: string | null; outline: string }>(`(() => {
        const element = document.activeElement;
        return { label: element.getAttribute('aria-label'), text: element.textContent,
          disabled: element.getAttribute('aria-disabled'), outline: getComputedStyle(element).outlineStyle };
      })()`);

    // Tab into the grid (one day is in the tab order), then arrows to another free day.
    for (let tabs = 0; tabs < 10 && !(await page.getByRole('grid').locator('button:focus').count()); tabs++)
      await page.keyboard.press('Tab');
    expect((await focused()).outline).toBe('solid');
    const chosenDay = (await focused()).label;
    do await page.keyboard.press('ArrowRight');
    while ((await focused()).disabled === 'true');
    expect((await focused()).label).not.toBe(chosenDay);
    await page.keyboard.press('Enter');
    const day = (await focused()).label!;
    await page.getByRole('heading', { name: day }).waitFor();

    // The zone picker takes typing and Enter; then the day's times, where Down moves between them.
    await page.keyboard.press('Tab');
    await page.keyboard.type('lisbon');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('combobox', { name: 'Time zone' }).inputValue()).toMatch(/^Europe\/Lisbon \(GMT/);
    await page.getByRole('status').filter({ hasText: 'in Europe/Lisbon time' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const chosen = page.getByRole('button', { pressed: true }).and(page.locator('[data-start]'));
    const start = (await chosen.getAttribute('data-start'))!;
    expect(plain(await chosen.textContent())).toBe(timeIn(start, 'Europe/Lisbon'));
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Confirm');
    await screenshot(page, 'booking-widget-desktop');
    if (UPDATE_DOCS) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(await screenshot(page, 'booking-widget-desktop'), path.join(DOCS, 'booking-widget-desktop.png'));
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'You’re booked' }).waitFor();
    expect((await focused()).text).toBe('You’re booked');
    expect(await appointmentsOf('keys@example.com')).toEqual([{ start_at: new Date(start), status: 'booked' }]);

    // The link is spent; the calendar file is still there, and holds the booked time.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Calendar file (.ics)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('discovery-call.ics');
    const events = new ICAL.Component(ICAL.parse(readFileSync((await download.path())!, 'utf8'))).getAllSubcomponents(
      'vevent',
    );
    expect(events).toHaveLength(1);
    const event = new ICAL.Event(events[0]!);
    expect(event.startDate.toJSDate().toISOString()).toBe(start);
    expect(event.summary).toBe('Discovery call with Olive Owner');

    // The reschedule page is the same widget, with Confirm moving the appointment.
    await page.getByRole('link', { name: 'Reschedule' }).click();
    await page.getByText('Currently booked').waitFor();
    await page.getByRole('grid').locator('tbody[aria-busy=false]').waitFor();
    await chooseAnotherDay(page);
    const later = page.getByRole('list', { name: /day/ }).getByRole('button').last();
    const moved = (await later.getAttribute('data-start'))!;
    await later.click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your appointment was moved' }).waitFor();
    expect(await appointmentsOf('keys@example.com')).toEqual([{ start_at: new Date(moved), status: 'booked' }]);
    expect(problems).toEqual([]);
  });

  it('asks for a phone number where the calendar wants one, and keeps it on the contact, on a phone', async () => {
    await api.createCalendar({
      name: 'Call back',
      slug: 'call-back',
      timezone: 'America/New_York',
      availability: WEEKDAYS.map((day) => ({ day, start: '09:00', end: '17:00' })),
      bookingWindowDays: 60,
      askPhone: true,
    });
    const { page, problems } = await openPage({ viewport: PHONE, timezoneId: 'Europe/Paris', hasTouch: true });
    await page.goto('/c/call-back');
    await page.getByRole('grid').locator('tbody[aria-busy=false]').waitFor();
    const phone = page.getByLabel('Your phone');
    expect(await phone.getAttribute('type')).toBe('tel');
    expect(await phone.getAttribute('required')).not.toBeNull();
    await page.getByLabel('Your name').fill('Cal Back');
    await page.getByLabel('Your email').fill('callback@example.com');
    const time = page.getByRole('list', { name: /day/ }).getByRole('button').first();
    const start = (await time.getAttribute('data-start'))!;
    await time.click();

    // Something that is no phone number: the server says what it wants, nothing is booked.
    await phone.fill('call me');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Your phone: please give your number with its country code').waitFor();
    expect(await appointmentsOf('callback@example.com')).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.fill('+1 (415) 555-0123');
    await screenshot(page, 'booking-widget-phone-field');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'You’re booked' }).waitFor();
    expect(await appointmentsOf('callback@example.com')).toEqual([{ start_at: new Date(start), status: 'booked' }]);
    const [contact] = await env.container.db.query<{ phone: string; timezone: string }[]>(
      'SELECT phone, timezone FROM contacts WHERE account_id = $1 AND email = $2',
      [accountId, 'callback@example.com'],
    );
    // The zone the browser booked in comes along: the confirmation email reads in Paris time.
    expect(contact).toEqual({ phone: '+14155550123', timezone: 'Europe/Paris' });
    // The one refusal, on purpose: nothing else went wrong on the page.
    expect(problems).toEqual(['400 /c/call-back']);
  });

  it('still books without JavaScript, through the list of times', async () => {
    const { page, problems } = await openPage({ viewport: DESKTOP, javaScriptEnabled: false });
    await page.goto('/c/discovery-call');
    expect(await page.getByRole('grid').count()).toBe(0);
    await page.getByLabel('Your name').fill('Noel Script');
    await page.getByLabel('Your email').fill('noscript@example.com');
    const radio = page.getByRole('radio').nth(2);
    const start = (await radio.getAttribute('value'))!;
    await radio.check();
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.getByRole('heading', { name: 'You’re booked' }).waitFor();
    await page.getByRole('heading', { name: 'Add to calendar' }).waitFor();
    expect(await page.getByRole('link', { name: 'Calendar file (.ics)' }).getAttribute('href')).toMatch(
      /\/book\/reschedule\/[A-Za-z0-9_-]{43}\/calendar\.ics$/,
    );
    expect(await appointmentsOf('noscript@example.com')).toEqual([{ start_at: new Date(start), status: 'booked' }]);
    expect(problems).toEqual([]);
  });

  it('opens the scheduling page in a popup from another site, and closes it with Escape or Close', async () => {
    const { page, problems } = await openPage({ viewport: DESKTOP });
    const snippets = embedSnippets({
      schedulingUrl: `${baseUrl}/c/discovery-call`,
      publicUrl: baseUrl,
      calendarName: 'Discovery call',
    });
    // Another site: another origin (another port), on loopback like the app (Chrome keeps public pages off loopback).
    const shop = createServer((_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!doctype html><title>Shop</title><h1>Our shop</h1>${snippets.popup}<a href="#">After</a>`),
    );
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
      await openAndClosePopup(page);
    } finally {
      shop.closeAllConnections();
      await new Promise<void>((resolve) => shop.close(() => resolve()));
    }
    expect(problems).toEqual([]);
  });

  async function openAndClosePopup(page: Page): Promise<void> {
    const opener = page.getByRole('button', { name: 'Book a time' });
    const dialog = page.getByRole('dialog', { name: 'Book a time: Discovery call' });
    const activeText = () =>
      page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');

    await opener.click();
    const frame = page.frameLocator('iframe[title="Book a time: Discovery call"]');
    await frame.getByRole('grid').locator('tbody[aria-busy=false]').waitFor();
    await screenshot(page, 'booking-widget-popup');
    expect(await activeText()).toBe('×');
    // Escape inside the framed page closes the popup too (it asks the embedding page to).
    await frame.getByRole('combobox', { name: 'Time zone' }).focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await activeText()).toBe('Book a time');

    await opener.click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await activeText()).toBe('Book a time');
  }
});
