import { EventStore } from '@netral/event-store';
import { type BrowserContext, type Page } from 'playwright-core';
import {
  accessibilityViolations,
  type BrowserHarness,
  signIn,
  horizontalOverflow,
  startBrowserHarness,
} from '../../libs/testing/src/browser';

/** A roster whose only row has an impossible birth date in its NIP (30 February). */
const BAD_ROSTER = Buffer.from(
  'NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n198502302010011002;I Made Salah Tanggal;Guru;PNS;1.01.01\n',
);

/** BKPSDM (HR) at the registry pages of the demo regency, on a desk and on a 375 px phone. */
describe('registry pages in Chromium (HR, demo regency)', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness({ NETRAL_DEMO: 'true' });
  });

  afterAll(async () => {
    await h.close();
  });

  const login = (page: Page) => signIn(page, 'bkpsdm', 'bkpsdm-bangli-2024');

  const eventCount = async () => {
    let n = 0;
    for await (const _ of h.t.app.get(EventStore).readAll()) {
      n += 1;
    }
    return n;
  };

  const uploadBadRoster = async (page: Page) => {
    await page.getByLabel('Berkas CSV Daftar ASN').setInputFiles({
      name: 'asn-baru.csv',
      mimeType: 'text/csv',
      buffer: BAD_ROSTER,
    });
    await page.getByRole('button', { name: 'Unggah Daftar ASN' }).click();
    await page.getByRole('heading', { name: /Baris bermasalah/ }).waitFor();
  };

  /** The harness's phone is 390 px wide; the narrowest phones in use are 375 px. */
  const phone = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await h.browser.newContext({
      baseURL: h.baseUrl,
      locale: 'id-ID',
      viewport: { width: 375, height: 812 },
      isMobile: true,
    });
    context.on('request', (request) => {
      if (!request.url().startsWith(h.baseUrl) && !request.url().startsWith('data:')) {
        h.externalRequests.push(request.url());
      }
    });
    return { context, page: await context.newPage() };
  };

  it('HR opens the registry, an OPD’s ASN, gives one ASN a new position, and uploads a roster with a bad NIP: that row’s error, nothing written', async () => {
    const { context, page } = await h.newPage();
    await login(page);
    await page.getByRole('link', { name: 'Registri', exact: true }).click();
    await page.getByRole('heading', { name: 'Registri OPD' }).waitFor();
    const health = page.locator('tr', { hasText: 'Dinas Kesehatan' });
    expect(Number(await health.locator('td').nth(3).textContent())).toBeGreaterThan(0);
    await h.screenshot(page, 'registry');

    await page.getByRole('link', { name: 'Dinas Kesehatan' }).click();
    await page.getByRole('heading', { name: 'ASN Dinas Kesehatan' }).waitFor();
    const nip = (await page.locator('tbody tr td').first().textContent()) ?? '';
    expect(nip).toMatch(/^\d{18}$/);
    await page.getByLabel('NIP atau nama').fill(nip);
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.getByText('1 ASN', { exact: true }).waitFor();

    // The ASN's page: a new position with its reason, shown after the redirect.
    await page.getByRole('link', { name: nip }).click();
    await page.getByRole('heading', { name: 'Perbaiki nama atau ubah jabatan' }).waitFor();
    await page.getByLabel('Jabatan', { exact: true }).fill('Kepala Seksi Uji Peramban');
    await page.getByLabel('Alasan perubahan').fill('SK uji 1/2024');
    await page.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.getByText(`Data ${nip} diperbarui.`).waitFor();
    expect(await page.locator('dd', { hasText: 'Kepala Seksi Uji Peramban' }).count()).toBe(1);

    await page.getByRole('link', { name: 'Impor CSV', exact: true }).click();
    await page.getByText('Baris judul').first().waitFor();
    const before = await eventCount();
    await uploadBadRoster(page);
    const row = page.locator('#baris-bermasalah tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').allTextContents()).toEqual([
      '2',
      'NIP',
      expect.stringMatching(/tanggal/i) as unknown as string,
    ]);
    await page
      .getByRole('alert')
      .getByRole('link', { name: /1 masalah pada 1 baris/ })
      .waitFor();
    expect(await eventCount()).toBe(before);
    await h.screenshot(page, 'registry-import-errors');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(h.externalRequests).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await context.close();
  });

  it('the registry pages fit a 375 px phone, the list of bad rows included', async () => {
    const { context, page } = await phone();
    await login(page);
    await page.goto('/registri/asn?opdId=dinas-kesehatan');
    const nip = (await page.locator('tbody tr td').first().textContent()) ?? '';
    for (const path of [
      '/registri',
      '/registri/asn?opdId=dinas-kesehatan',
      `/registri/asn/${nip}`,
      '/registri/impor',
    ]) {
      await page.goto(path);
      expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
    }
    await uploadBadRoster(page);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await h.screenshot(page, 'registry-import-errors-mobile');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(h.externalRequests).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await context.close();
  });
});
