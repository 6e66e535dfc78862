import type { Page } from 'playwright-core';
import { DEMO_LOGINS } from '../../apps/ledger/src/demo/demo.seeder';
import {
  accessibilityViolations,
  type BrowserHarness,
  signIn,
  startBrowserHarness,
} from '../../libs/testing/src/browser';

/** Links that lead to a page (no download, API, documentation or sign-out). */
const PAGE_LINK = /^\/(?!api\b|docs\b|assets\b|metrics\b|health\b)[^#]*$/;
const DOWNLOAD = /\.(csv|pdf|ndjson|txt|json)(\?|$)|\/pdf$|\/bukti\/|\/ekspor/;

/**
 * The pages as the demo regency's officials see them, held to WCAG 2.1 A and AA by axe-core in Chromium:
 * one page of each kind each role can reach by following links (on a desktop and on a phone), the public
 * pages, and pages that show a form's errors. What docs/web.md promises (labels, contrast, landmarks,
 * names) is checked here, not only written down.
 */
describe('accessibility of the pages (axe-core, WCAG 2.1 AA, demo regency)', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness({ NETRAL_DEMO: 'true' });
  });

  afterAll(async () => {
    await h.close();
  });

  /** Follows links from `start`, one page per kind (the path without identifiers), checking each: what
   * axe found, and how many kinds of page were checked. */
  const checkReachablePages = async (
    page: Page,
    start: string[],
  ): Promise<{ problems: string[]; kinds: number }> => {
    const problems: string[] = [];
    const kinds = new Set<string>();
    const queue = [...start];
    while (queue.length > 0 && kinds.size < 40) {
      const path = queue.shift()!;
      const kind = path.replace(/\?.*$/, '').replace(/\/[^/]*\d[^/]*/g, '/:id');
      if (kinds.has(kind)) {
        continue;
      }
      kinds.add(kind);
      const response = await page.goto(path);
      if (!response || !String(response.headers()['content-type']).startsWith('text/html')) {
        continue;
      }
      problems.push(...(await accessibilityViolations(page)).map((v) => `${path}: ${v}`));
      const links = await page.$$eval('a[href]', (anchors) =>
        anchors.map((a) => a.getAttribute('href') ?? ''),
      );
      queue.push(...links.filter((href) => PAGE_LINK.test(href) && !DOWNLOAD.test(href)));
    }
    return { problems, kinds: kinds.size };
  };

  it('the public pages: sign-in, certificate verification', async () => {
    const { context, page } = await h.newPage();
    const { problems, kinds } = await checkReachablePages(page, ['/login', '/verifikasi']);
    expect(problems).toEqual([]);
    expect(kinds).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it.each(DEMO_LOGINS.map((user) => [user.role, user.username, user.password] as const))(
    'every kind of page as %s (%s), on a desktop and on a phone',
    async (_role, username, password) => {
      for (const mobile of [false, true]) {
        const { context, page } = await h.newPage({ mobile });
        await signIn(page, username, password);
        const { problems, kinds } = await checkReachablePages(page, [new URL(page.url()).pathname]);
        expect(problems).toEqual([]);
        expect(kinds).toBeGreaterThan(5);
        await context.close();
      }
    },
    180_000,
  );

  it('a refused sign-in and a form sent back with its errors', async () => {
    const { context, page } = await h.newPage();
    await page.goto('/login');
    await page.getByLabel('Nama pengguna').fill('admin');
    await page.getByLabel('Kata sandi').fill('bukan-sandinya');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('alert').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await signIn(page, 'kadis.kesehatan', 'kesehatan-bangli-2024');
    await page.goto('/opd/staf');
    await page.locator('input[name="nip"]').first().check();
    await page.getByLabel('Tanggal penandatanganan').fill('');
    await page.getByRole('button', { name: 'Simpan pakta staf terpilih' }).click();
    await page.getByText('Periksa kembali isian Anda').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
