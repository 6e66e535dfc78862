import {
  accessibilityViolations,
  type BrowserHarness,
  signIn,
  horizontalOverflow,
  startBrowserHarness,
} from '../../libs/testing/src/browser';

/** The administrator of the demo regency: an election, an account for a new head of an OPD, who signs in
 * and must change the (temporary) password they were given before anything else opens. */
describe('administrator pages in Chromium (demo regency)', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness({ NETRAL_DEMO: 'true' });
  });

  afterAll(async () => {
    await h.close();
  });

  it('schedules an election, creates an OPD head who signs in and must first change the password', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'admin', 'admin-netral-2024');

    await page.getByRole('link', { name: 'Pemilihan', exact: true }).click();
    await page.getByRole('heading', { name: 'Jadwalkan pemilihan' }).waitFor();
    expect(await page.getByRole('link', { name: 'Pilkada Serentak 2024' }).count()).toBe(1);
    await page.getByLabel('ID pemilihan').fill('pemilu-2029');
    await page.getByLabel('Nama', { exact: true }).fill('Pemilu 2029');
    await page.getByLabel('Jenis').selectOption('PEMILU');
    await page.getByLabel('Hari pemungutan suara').fill('2029-02-14');
    await page.getByLabel('Awal masa pengawasan').fill('2029-01-14');
    // A typing slip: the period ends before the voting day. The page says so and keeps the rest.
    await page.getByLabel('Akhir masa pengawasan').fill('2029-02-01');
    await page.getByRole('button', { name: 'Jadwalkan' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('ID pemilihan').inputValue()).toBe('pemilu-2029');
    await page.getByLabel('Akhir masa pengawasan').fill('2029-03-14');
    await page.getByRole('button', { name: 'Jadwalkan' }).click();
    await page.getByText('Pemilihan Pemilu 2029 dijadwalkan.').waitFor();
    expect(await page.getByRole('link', { name: 'Pemilu 2029' }).count()).toBe(1);
    await h.screenshot(page, 'elections');

    await page.getByRole('link', { name: 'Pengguna', exact: true }).click();
    await page.getByRole('heading', { name: 'Tambah pengguna' }).waitFor();
    await page.getByLabel('Nama pengguna').fill('kadis.pupr');
    await page.getByLabel('Nama lengkap').fill('Kepala Dinas PUPR');
    await page.getByLabel('Kata sandi awal').fill('sandi-awal-pupr-1');
    await page.getByLabel('Peran').selectOption('OPD_HEAD');
    await page.getByLabel('OPD', { exact: true }).selectOption('dinas-pupr');
    await page.getByRole('button', { name: 'Buat pengguna' }).click();
    await page.getByText('Pengguna kadis.pupr dibuat.').waitFor();
    await h.screenshot(page, 'users');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();

    // The new head signs in with the password they were given, which is temporary: only their account
    // page opens, saying why, without the menu, until they have chosen their own.
    const head = await h.newPage();
    await signIn(head.page, 'kadis.pupr', 'sandi-awal-pupr-1');
    await head.page.getByText('hanya sementara').waitFor();
    expect(new URL(head.page.url()).pathname).toBe('/akun');
    expect(await head.page.getByRole('navigation', { name: 'Menu utama' }).count()).toBe(0);
    expect(await accessibilityViolations(head.page)).toEqual([]);
    await head.page.goto('/opd');
    expect(new URL(head.page.url()).pathname).toBe('/akun');
    await head.page.getByLabel('Kata sandi saat ini').fill('sandi-awal-pupr-1');
    await head.page.getByLabel('Kata sandi baru', { exact: true }).fill('sandi-milik-saya-22');
    await head.page.getByLabel('Ulangi kata sandi baru').fill('sandi-milik-saya-22');
    await head.page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await head.page.getByText('Kata sandi diganti.').waitFor();
    await signIn(head.page, 'kadis.pupr', 'sandi-milik-saya-22');
    await head.page
      .getByRole('heading', { name: /Pekerjaan Umum/ })
      .first()
      .waitFor();
    expect(h.externalRequests).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await head.context.close();
  });

  it('the administrator’s pages fit a 375 px phone', async () => {
    const context = await h.browser.newContext({
      baseURL: h.baseUrl,
      locale: 'id-ID',
      viewport: { width: 375, height: 812 },
      isMobile: true,
    });
    const page = await context.newPage();
    await signIn(page, 'admin', 'admin-netral-2024');
    for (const path of ['/pemilihan', '/pengguna', '/pengguna/kadis.kesehatan', '/akun']) {
      await page.goto(path);
      expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
    }
    await h.screenshot(page, 'users-mobile');
    await context.close();
  });
});
