import { type AxeResults, source as axeSource } from 'axe-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from './test-app';

/** Debian's Chromium (installed by .ci/run): a downloaded browser is never used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots are test artifacts (git-ignored), kept for a human to look at after a run. */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test', 'browser', 'screenshots');

export interface BrowserHarness {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh context (own cookies) per simulated person. */
  newPage(options?: { mobile?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  /** Requests that left localhost: offices may be offline, so every asset must be served by us. */
  externalRequests: string[];
  /** Errors the pages logged or threw (a missing asset, a script error), each with where it happened; a
   * page answered with a 4xx on purpose (a form sent back with its errors) is not one. */
  pageErrors: string[];
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Boots the real app on an ephemeral port and a headless Chromium with the flags this machine needs. */
export const startBrowserHarness = async (
  env: Record<string, string> = {},
): Promise<BrowserHarness> => {
  const t = await createTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    t,
    baseUrl,
    browser,
    externalRequests,
    pageErrors,
    newPage: async ({ mobile = false } = {}) => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: 'id-ID',
        viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      });
      context.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(baseUrl) && !url.startsWith('data:') && !url.startsWith('blob:')) {
          externalRequests.push(url);
        }
      });
      context.on('console', (message) => {
        const where = message.location().url;
        const page = message.page();
        const ownAnswer = page !== null && where === page.url();
        if (message.type() === 'error' && !ownAnswer) {
          pageErrors.push(`${message.text()} (${where || page?.url()})`);
        }
      });
      context.on('weberror', (error) => {
        pageErrors.push(`${error.error().message} (${error.page()?.url()})`);
      });
      return { context, page: await context.newPage() };
    },
    screenshot: async (page, name) => {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
};

/** Signs in through the login page as a person does (labels and button by their words). */
export const signIn = async (page: Page, username: string, password: string): Promise<void> => {
  await page.goto('/login');
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForLoadState('load');
};

/** Layout check on a rendered page: nothing wider than the viewport (no sideways scrolling on a phone). */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(
    // Runs inside the page, where `document` exists; the repo's lib setting has no DOM types.
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

/** The rules a page is held to: WCAG 2.1 levels A and AA, and axe's best practices (landmarks, one h1…). */
const ACCESSIBILITY_RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * axe-core's findings on the page as it is rendered (colours, labels, landmarks, names of links and
 * buttons), one line per element: rule, impact, element and what to fix. Empty when the page passes.
 * Evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not govern.
 */
export const accessibilityViolations = async (page: Page): Promise<string[]> => {
  await page.evaluate(axeSource);
  const results = await page.evaluate<AxeResults>(
    `axe.run(document, { runOnly: ${JSON.stringify(ACCESSIBILITY_RULES)} })`,
  );
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact ?? 'unknown'}) ${node.target.join(' ')}: ${node.failureSummary ?? violation.help}`,
    ),
  );
};
