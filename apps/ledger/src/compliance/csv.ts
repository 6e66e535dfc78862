import type { ComplianceRow } from '@netral/projections';

/** RFC 4180 CSV with a BOM (Excel opens UTF-8 names correctly), `;`-safe quoting, and no cell a
 * spreadsheet would run as a formula. */
export type CsvValue = string | number | boolean | null | undefined;

/** How a spreadsheet starts a formula (OWASP, "CSV injection"): a name typed as `=HYPERLINK(…)` or
 * `@SUM(…)` would run when HR, Bawaslu or an administrator opens the file in Excel. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: a text that would start a formula gets a leading `'`, so a spreadsheet shows it as text
 * instead of running it; numbers are written as they are. */
const cell = (value: CsvValue): string => {
  const raw = value === null || value === undefined ? '' : String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (header: string[], rows: CsvValue[][]): string =>
  `\ufeff${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;

/** The compliance table as HR downloads it (API and pages share it). */
export const complianceCsv = (rows: readonly ComplianceRow[]): string =>
  toCsv(
    [
      'Kode OPD',
      'OPD',
      'Status',
      'Alasan',
      'ASN aktif',
      'Sudah pakta',
      'Belum',
      'Cakupan (%)',
      'Kepala OPD sudah',
      'Tanggal kepala',
      'Terlambat',
      'Kasus terbuka',
      'Pelanggaran terbukti',
      'Sanksi menunggu',
      'Sanksi terlambat',
    ],
    rows.map((r) => [
      r.opdCode,
      r.opdName,
      r.status,
      r.reasons.join(' | '),
      r.activeAsn,
      r.pledged,
      r.missing,
      r.coverage,
      r.headPledged ? 'ya' : 'tidak',
      r.headPledgedAt,
      r.lateSigners,
      r.openCases,
      r.confirmedViolations,
      r.sanctionsPending,
      r.sanctionsOverdue,
    ]),
  );

/** The ASN who have not pledged yet, with their OPD, as HR downloads it. */
export const missingPledgesCsv = (
  rows: readonly {
    opd?: { code: string; name: string };
    asn: { nip: string; name: string; position: string; employmentType: string };
  }[],
): string =>
  toCsv(
    ['Kode OPD', 'OPD', 'NIP', 'Nama', 'Jabatan', 'Jenis ASN'],
    rows.map(({ opd, asn }) => [
      opd?.code,
      opd?.name,
      asn.nip,
      asn.name,
      asn.position,
      asn.employmentType,
    ]),
  );
