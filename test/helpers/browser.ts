import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests leave their screenshots (git-ignored). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '../artifacts');

/**
 * Headless chromium for a browser test. A missing browser fails the test with the way to get it,
 * rather than skipping it quietly.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as test/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Collects what a page should never do into `problems`: console errors (CSP refusals included),
 * uncaught exceptions, and answers of 400 or more (the favicon aside). An answer whose
 * `<status> <pathname>` is in `expected` (a deliberate 404, say) is not a problem.
 */
export function recordPageProblems(page: Page, problems: string[], expected: ReadonlySet<string> = new Set()): void {
  page.on('console', (message) => {
    // A failed response is reported below, with its address.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    const seen = `${response.status()} ${new URL(response.url()).pathname}`;
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico') && !expected.has(seen))
      problems.push(seen);
  });
}
