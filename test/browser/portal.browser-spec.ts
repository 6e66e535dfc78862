import { type Page } from 'playwright-core';
import { ReadSide } from '../../apps/ledger/src/compliance/read-side';
import { systemActor, UserCommands } from '../../apps/ledger/src/identity/user.commands';
import {
  type BrowserHarness,
  signIn,
  horizontalOverflow,
  startBrowserHarness,
} from '../../libs/testing/src/browser';

/** The people of the demo regency, at work in a real browser (Debian's Chromium). */
describe('pages in Chromium (demo regency)', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness({ NETRAL_DEMO: 'true' });
    await h.t.app.get(UserCommands).register(
      {
        username: 'camat.kintamani',
        displayName: 'I Gede Camat Kintamani',
        password: 'kintamani-bangli-2024',
        role: 'OPD_HEAD',
        opdId: 'kecamatan-kintamani',
      },
      systemActor(),
    );
  });

  afterAll(async () => {
    await h.close();
  });

  const coverage = async (page: Page): Promise<number> => {
    const text = await page.getByTestId('coverage').textContent();
    return Number(/^(\d+) dari/.exec(text ?? '')?.[1]);
  };

  it('an OPD head sees what is missing, signs their own pakta, and submits two staff pledges', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'camat.kintamani', 'kintamani-bangli-2024');
    expect(page.url()).toContain('/opd');
    await page.getByRole('heading', { name: /Belum menandatangani/ }).waitFor();
    await h.screenshot(page, 'opd-dashboard');
    expect(await page.locator('.status').first().textContent()).toBe('Tidak patuh');
    const before = await coverage(page);

    await page.getByRole('link', { name: 'tandatangani sekarang' }).click();
    await page.getByText('PAKTA INTEGRITAS NETRALITAS').waitFor();
    await h.screenshot(page, 'own-pledge');
    await page.getByLabel(/Saya telah membaca/).check();
    await page.getByLabel('Tempat').fill('Bangli');
    await page.getByRole('button', { name: 'Tandatangani pakta integritas' }).click();
    await page.getByText('Pakta integritas Anda telah tercatat.').waitFor();
    expect(await coverage(page)).toBe(before + 1);
    expect(await page.getByText('Pakta Kepala OPD: sudah').count()).toBe(1);

    await page.getByRole('link', { name: 'Sampaikan pakta staf' }).click();
    const boxes = page.locator('input[name="nip"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByLabel('Tempat').fill('Bangli');
    await h.screenshot(page, 'staff-pledges');
    await page.getByRole('button', { name: 'Simpan pakta staf terpilih' }).click();
    await page.getByText('2 pakta integritas staf telah tercatat.').waitFor();
    expect(await coverage(page)).toBe(before + 3);
    expect(h.externalRequests).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await context.close();
  });

  it('a form with a mistake shows the error next to the field and keeps the other inputs', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'kadis.kesehatan', 'kesehatan-bangli-2024');
    await page.goto('/opd/staf');
    const first = page.locator('input[name="nip"]').first();
    const nip = await first.getAttribute('value');
    await first.check();
    await page.getByLabel('Tanggal penandatanganan').fill('');
    await page.getByRole('button', { name: 'Simpan pakta staf terpilih' }).click();
    await page.getByText('Periksa kembali isian Anda').waitFor();
    expect(await page.locator('#place-error').textContent()).toContain('wajib diisi');
    expect(await page.locator('#signedAt-error').textContent()).toContain('wajib diisi');
    expect(await page.locator('#ringkasan-kesalahan').textContent()).toContain(
      'Tempat: wajib diisi',
    );
    expect(await page.locator('#place').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`input[name="nip"][value="${nip}"]`).isChecked()).toBe(true);
    await h.screenshot(page, 'form-error');
    await context.close();
  });

  it('HR issues a certificate for a PATUH OPD, downloads it, and the public page verifies it', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'bkpsdm', 'bkpsdm-bangli-2024');
    expect(page.url()).toContain('/kepatuhan');
    await page.locator('svg[role="img"]').waitFor();
    await h.screenshot(page, 'compliance');
    await page.getByRole('button', { name: 'Terbitkan' }).first().click();
    const flash = await page.locator('.flash-success').textContent();
    const certificateId = /SK-\d{4}-[0-9A-Z]{8}/.exec(flash ?? '')?.[0];
    expect(certificateId).toBeDefined();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'PDF' }).first().click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^SK-.*\.pdf$/);
    const visitor = await h.newPage({ mobile: true });
    await visitor.page.goto(`/v/${certificateId}`);
    await visitor.page.getByText('SAH').first().waitFor();
    expect(await horizontalOverflow(visitor.page)).toBeLessThanOrEqual(0);
    await h.screenshot(visitor.page, 'verification-mobile');
    await visitor.context.close();
    await context.close();
  });

  it('Bawaslu reports a violation with evidence, confirms it, and sees the OPD’s status change', async () => {
    const read = h.t.app.get(ReadSide);
    const [election] = read.unscoped.elections();
    const opd = read.unscoped
      .compliance(election.electionId, read.today())
      .find((row) => row.status === 'PATUH');
    expect(opd).toBeDefined();
    const [asn] = read.unscoped.asnList(
      { opdId: opd!.opdId, activeOnly: true },
      {
        page: 1,
        pageSize: 1,
      },
    ).items;
    const statusOf = async (page: Page) =>
      page.locator('tr', { hasText: opd!.opdName }).locator('.status').textContent();

    const { context, page } = await h.newPage();
    await signIn(page, 'bawaslu', 'bawaslu-bangli-2024');
    await page.goto('/kepatuhan');
    expect(await statusOf(page)).toBe('Patuh');

    await page.getByRole('link', { name: 'Laporkan pelanggaran' }).first().click();
    await page.getByLabel('NIP atau nama ASN').fill(asn.name);
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.getByLabel(new RegExp(asn.nip)).check();
    await page.getByLabel('Perbuatan (katalog SKB 2022)').selectOption('N06');
    await page.getByLabel('Sumber', { exact: true }).selectOption('BAWASLU_FINDING');
    await page
      .getByLabel('Uraian kejadian')
      .fill('Menghadiri kampanye pasangan calon dengan atribut dinas');
    await page.getByLabel('Berkas bukti (PDF, JPG atau PNG)').setInputFiles({
      name: 'foto-kampanye.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('foto')]),
    });
    await page.getByLabel('Keterangan bukti').fill('Foto di lokasi kampanye');
    await h.screenshot(page, 'case-report');
    await page.getByRole('button', { name: 'Catat laporan' }).click();
    await page.getByText(/Kasus K-\d{4}-[0-9A-Z]{8} tercatat/).waitFor();

    await page.getByRole('button', { name: 'Nyatakan terverifikasi' }).click();
    await page.getByText('Kasus diverifikasi; tenggat kajian Bawaslu berjalan.').waitFor();
    await page.getByLabel('Hasil kajian').fill('Terbukti dari foto dan keterangan saksi');
    await page.getByLabel('Rekomendasi diteruskan melalui').selectOption('KASN');
    await page.getByLabel('Rekomendasi sanksi etik').selectOption('MORAL_TERBUKA');
    await page.getByRole('button', { name: 'Nyatakan terbukti' }).click();
    await page
      .getByText(/Pelanggaran dinyatakan terbukti/)
      .first()
      .waitFor();
    await h.screenshot(page, 'case-detail');

    await page.getByRole('link', { name: 'Kasus', exact: true }).click();
    await h.screenshot(page, 'cases');
    await page.getByRole('link', { name: 'Kepatuhan OPD' }).click();
    expect(await statusOf(page)).not.toBe('Patuh');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByText('Cara memverifikasi').waitFor();
    await h.screenshot(page, 'audit');
    expect(h.externalRequests).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await context.close();

    // The same pages on a phone: nothing wider than the screen.
    const phone = await h.newPage({ mobile: true });
    await signIn(phone.page, 'bawaslu', 'bawaslu-bangli-2024');
    for (const path of ['/kasus', '/kasus/baru?q=Ketut', '/audit']) {
      await phone.page.goto(path);
      expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    }
    await h.screenshot(phone.page, 'audit-mobile');
    await phone.context.close();
  });

  it('a report with an invalid NIP shows the error next to the NIP and keeps the other inputs', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'bawaslu', 'bawaslu-bangli-2024');
    await page.goto('/kasus/baru');
    await page.getByLabel('NIP lengkap').fill('198502302010011002');
    await page.getByLabel('Perbuatan (katalog SKB 2022)').selectOption('N02');
    await page.getByLabel('Sumber', { exact: true }).selectOption('PUBLIC_REPORT');
    await page.getByLabel('Uraian kejadian').fill('Unggahan dukungan calon di media sosial');
    await page.getByRole('button', { name: 'Catat laporan' }).click();
    await page.getByText('Periksa kembali isian Anda').waitFor();
    expect(await page.locator('#nip-error').textContent()).toContain('tanggal lahir');
    expect(await page.getByLabel('NIP lengkap').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('NIP lengkap').inputValue()).toBe('198502302010011002');
    expect(await page.getByLabel('Uraian kejadian').inputValue()).toBe(
      'Unggahan dukungan calon di media sosial',
    );
    expect(await page.getByLabel('Perbuatan (katalog SKB 2022)').inputValue()).toBe('N02');
    expect(await page.getByLabel('Sumber', { exact: true }).inputValue()).toBe('PUBLIC_REPORT');
    await h.screenshot(page, 'case-report-invalid-nip');
    await context.close();
  });
});
