import {
  type BrowserHarness,
  horizontalOverflow,
  startBrowserHarness,
} from '../../libs/testing/src/browser';

describe('API documentation in Chromium', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });

  afterAll(async () => {
    await h.close();
  });

  it('renders the OpenAPI page from assets the service serves itself', async () => {
    const { context, page } = await h.newPage();
    await page.goto('/docs');
    await page.getByText('Netral', { exact: false }).first().waitFor();
    await page.locator('.opblock-tag').first().waitFor();
    const tags = await page.locator('.opblock-tag').allTextContents();
    expect(tags.join(' ')).toMatch(/health/i);
    expect(h.externalRequests).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await h.screenshot(page, 'api-docs');
    await context.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { context, page } = await h.newPage({ mobile: true });
    await page.goto('/docs');
    await page.locator('.opblock-tag').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
