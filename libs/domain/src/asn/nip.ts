import { isValidDay } from '../shared/calendar';

/** Why a NIP is refused; stable codes for clients and translations. */
export type NipProblem =
  | 'NIP_FORMAT'
  | 'NIP_SPREADSHEET_NUMBER'
  | 'NIP_BIRTH_DATE'
  | 'NIP_BIRTH_AFTER_APPOINTMENT'
  | 'NIP_APPOINTMENT'
  | 'NIP_IN_FUTURE'
  | 'NIP_GENDER'
  | 'NIP_SEQUENCE';

export type NipCheck =
  | { valid: true; nip: string; layout: 'PNS' | 'PPPK' }
  | { valid: false; code: NipProblem; reason: string };

const REASONS: Record<NipProblem, string> = {
  NIP_FORMAT: 'NIP harus 18 digit angka',
  NIP_SPREADSHEET_NUMBER:
    'NIP tertulis sebagai angka berpangkat (mis. 1,98503E+17): Excel menjadikan kolom NIP angka dan membuang digitnya. Jadikan kolom NIP bertipe Teks, lalu salin lagi NIP lengkapnya dari SIASN',
  NIP_BIRTH_DATE: 'digit 1–8 (tanggal lahir YYYYMMDD) bukan tanggal yang valid',
  NIP_BIRTH_AFTER_APPOINTMENT:
    'tanggal lahir (digit 1–8) tidak boleh sama dengan atau sesudah TMT CPNS / tahun pengangkatan (digit 9–14)',
  NIP_APPOINTMENT:
    'digit 9–14 tidak valid: PNS memakai TMT CPNS (YYYYMM), PPPK memakai tahun pengangkatan (YYYY) dan kode 2 digit',
  NIP_IN_FUTURE:
    'digit 9–14 (TMT CPNS / tahun pengangkatan) jatuh lebih dari setahun sesudah hari ini: tanggal lahir atau pengangkatan pada NIP belum terjadi',
  NIP_GENDER: 'digit 15 (jenis kelamin) harus 1 atau 2',
  NIP_SEQUENCE:
    'digit 16–18 (nomor urut) tidak boleh 000. Bila daftarnya pernah dibuka di Excel: Excel menyimpan angka hanya 15 digit dan mengganti tiga digit terakhir NIP dengan 000; jadikan kolom NIP bertipe Teks, lalu salin lagi NIP lengkapnya dari SIASN',
};

const SPREADSHEET_NUMBER = /^\d(?:[.,]\d+)?[eE]\+?\d{1,2}$/;

const fail = (code: NipProblem): NipCheck => ({ valid: false, code, reason: REASONS[code] });

/**
 * Validates a NIP (DESIGN §2). PNS: `YYYYMMDD` birth date, `YYYYMM` start of CPNS, gender, 3-digit sequence.
 * PPPK: `YYYYMMDD` birth date, `YYYY` appointment year, a 2-digit code, gender, sequence. Both layouts put
 * gender at digit 15; digits 13–14 tell them apart (a month 01–12 for PNS, a code above 12 for PPPK). Only
 * the birth date and the gender are checked beyond that layout; nothing else is ever derived from a NIP.
 * Spaces and dots (as NIPs are often printed) are removed first.
 *
 * With `today` (the regency's day, `YYYY-MM-DD`) an appointment after next year is refused too: a NIP is
 * issued around its TMT, so one that far ahead (or a birth date in the future, which puts the appointment at
 * least 15 years ahead) is a typo. Without it only the layout is checked.
 */
export const validateNip = (input: string, options: { today?: string } = {}): NipCheck => {
  const nip = input.replace(/[\s.]/g, '');
  if (!/^\d{18}$/.test(nip)) {
    // What a spreadsheet writes for an 18-digit number it holds as a number: "1,98503E+17", "1.98503e17".
    return fail(SPREADSHEET_NUMBER.test(input.trim()) ? 'NIP_SPREADSHEET_NUMBER' : 'NIP_FORMAT');
  }
  const birthYear = Number(nip.slice(0, 4));
  if (
    birthYear < 1940 ||
    !isValidDay(birthYear, Number(nip.slice(4, 6)), Number(nip.slice(6, 8)))
  ) {
    return fail('NIP_BIRTH_DATE');
  }
  const appointmentYear = Number(nip.slice(8, 12));
  const codeOrMonth = Number(nip.slice(12, 14));
  const layout = codeOrMonth >= 1 && codeOrMonth <= 12 ? 'PNS' : 'PPPK';
  // Born on or after the appointment it records: the digits are swapped or mistyped, not a young appointee.
  const bornAfter =
    layout === 'PNS'
      ? appointmentYear * 100 + codeOrMonth <= birthYear * 100 + Number(nip.slice(4, 6))
      : appointmentYear <= birthYear;
  if (bornAfter) {
    return fail('NIP_BIRTH_AFTER_APPOINTMENT');
  }
  if (appointmentYear < birthYear + 15 || appointmentYear > birthYear + 70 || codeOrMonth === 0) {
    return fail('NIP_APPOINTMENT');
  }
  if (options.today && appointmentYear > Number(options.today.slice(0, 4)) + 1) {
    return fail('NIP_IN_FUTURE');
  }
  // Before the gender digit: a spreadsheet's rounding to 15 digits ends a NIP in 000 and may carry into
  // digit 15 too, and the 000 is what says where the damage came from.
  if (nip.slice(15) === '000') {
    return fail('NIP_SEQUENCE');
  }
  if (nip[14] !== '1' && nip[14] !== '2') {
    return fail('NIP_GENDER');
  }
  return { valid: true, nip, layout };
};
