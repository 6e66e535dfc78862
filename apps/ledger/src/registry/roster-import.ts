import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import {
  type Asn,
  type AsnCommand,
  type EmploymentType,
  invalid,
  normaliseOpdCode,
  type OpdKind,
  type RegisteredOpd,
  validateNip,
} from '@netral/domain';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { Clock } from '../common/clock';
import { echoed } from '../common/echo';
import { isInvisibleText, textFaults } from '../common/validation';
import { LETTER, NEEDS_LETTER_REASON } from '../common/validators';
import { type ActorContext, commandMetadata } from '../identity/actor';
import { assertRegencyWide } from '../identity/opd-scope';
import { type Loaded } from '../infrastructure/aggregate-store';
import { OpdMembershipLock } from './opd-membership';
import { RegistryFacts } from './registry-facts';
import { AsnCommands, OpdCommands } from './registry.commands';
import { OPD_KINDS } from './registry.dto';

const NO_ASN: Loaded<Asn> = { state: { status: 'none' }, revision: 'no_stream' };

/** One problem of one row: what the report (CLI, API, page) shows. */
export interface RowProblem {
  line: number;
  column: string;
  /** In words, for people; `code` is for programs (the NIP rule broken, NIP_FORMAT…), when there is one. */
  reason: string;
  code?: string;
  /** A problem of the file as a whole (not text, no header with the columns, not readable as CSV): no row
   * of it was read, or none after it. */
  file?: true;
}

/** One kind of problem in an import: how often, where first, and whether every occurrence reads alike. */
export interface ProblemKind {
  column: string;
  /** The first occurrence's reason; `alike` false when others of the kind say it with other values. */
  reason: string;
  alike: boolean;
  count: number;
  firstLine: number;
}

/** Past this many problems a report sums them up by kind: its list's start has scrolled away. */
export const SUMMARY_AFTER = 20;

/**
 * The problems by kind (the rule's code, else the column and reason), most frequent first: a file with one
 * systematic mistake (NIPs turned into numbers by Excel, every row under an unregistered OPD code) reads
 * as that one mistake, not as 48,000 lines. The CLI prints it after the list, the import page above it.
 */
export const problemKinds = (errors: readonly RowProblem[]): ProblemKind[] => {
  const kinds = new Map<string, ProblemKind>();
  for (const e of errors) {
    const key = `${e.column}\u0000${e.code ?? e.reason}`;
    const kind = kinds.get(key);
    if (kind) {
      kind.count += 1;
      kind.alike &&= kind.reason === e.reason;
    } else {
      kinds.set(key, {
        column: e.column,
        reason: e.reason,
        alike: true,
        count: 1,
        firstLine: e.line,
      });
    }
  }
  return [...kinds.values()].sort((a, b) => b.count - a.count);
};

export interface ImportReport {
  kind: 'asn' | 'opds';
  dryRun: boolean;
  rows: number;
  /** Rows that would be / were written. */
  created: number;
  transferred: number;
  /** Enrolled ASN whose `Jabatan` in the file differs: recorded as AsnDetailsChanged (a row may also move). */
  updated: number;
  unchanged: number;
  errors: RowProblem[];
  /** Position of the last event written (null for a dry run or nothing to write). */
  position: string | null;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Called as rows are validated and as writes complete (for a progress bar). */
  onProgress?: (phase: 'validate' | 'write', done: number, total: number) => void;
}

/** One row of an OPD import as read, valid or not. */
interface OpdImportRow {
  line: number;
  opdId: string;
  /** `opdId` has the form of an id (checks that look it up skip it otherwise). */
  idOk: boolean;
  code: string;
  /** The code as compared (normaliseOpdCode); `code` is kept as written. */
  key: string;
  /** `code` has the form of a code and is the first of its key in the file. */
  codeOk: boolean;
  name: string;
  kind?: OpdKind;
  parentKey?: string;
  parentCode?: string;
  /** No problem was found in the row's own cells. */
  clean: boolean;
}

/** What an import's change of position records as its reason. */
const IMPORT_POSITION_REASON = 'Jabatan menurut impor daftar ASN (ekspor SIASN)';

/** Names and positions compared as people read them: case and runs of spaces do not count. */
const sameText = (a: string, b: string): boolean =>
  a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/** Header names compared without case, spaces or punctuation (`Jenis ASN`, `JENIS_ASN`, `jenisasn`). */
/** Longest name, position or OPD name: as the API's DTOs allow. */
const NAME_MAX_LENGTH = 200;

/**
 * A name cell (Nama, Jabatan, Nama OPD) read as the API reads the same field: trimmed, nothing visible is
 * nothing typed, a control or broken character refused, and a name needs a letter. Its problems are added
 * to `problems`; the text as it will be stored is returned.
 */
const nameCell = (
  raw: string | undefined,
  line: number,
  column: string,
  problems: RowProblem[],
): string => {
  const trimmed = (raw ?? '').trim();
  const value = isInvisibleText(trimmed) ? '' : trimmed;
  if (!value) {
    problems.push({ line, column, reason: 'wajib diisi' });
  } else if (value.length > NAME_MAX_LENGTH) {
    problems.push({ line, column, reason: `maksimal ${NAME_MAX_LENGTH} karakter` });
  } else {
    problems.push(...textFaults(value).map(({ code, reason }) => ({ line, column, reason, code })));
    if (!LETTER.test(value)) {
      problems.push({ line, column, reason: NEEDS_LETTER_REASON, code: 'hasLetter' });
    }
  }
  return value;
};

const norm = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');
/** A file's header row as a message quotes it: its first columns, each shortened, blanks named. */
const headerList = (header: string[]): string => {
  const shown = header.slice(0, 10).map((h) => (h.trim() ? `"${echoed(h.trim())}"` : '(kosong)'));
  return header.length > 10 ? `${shown.join(', ')}, … (${header.length} kolom)` : shown.join(', ');
};

/**
 * The header row checked before any data row: every required column present, none of the columns read
 * written twice (which of the two would count?). Columns the import does not read may be anything.
 */
const readHeader = <K extends string>(
  cells: string[],
  columns: Record<K, string>,
  required: readonly string[],
): { at: [K, number][] } | { problem: RowProblem } => {
  const names = cells.map(norm);
  const at: [K, number][] = [];
  const twice: string[] = [];
  for (const key of Object.keys(columns) as K[]) {
    const places = names.flatMap((name, index) => (name === key ? [index] : []));
    if (places.length > 1) {
      twice.push(`"${columns[key]}" (kolom ke-${places.map((i) => i + 1).join(', ke-')})`);
    }
    if (places.length > 0) {
      at.push([key, places[0]]);
    }
  }
  const missing = required.filter((key) => !at.some(([k]) => k === key));
  if (missing.length > 0) {
    return {
      problem: {
        line: 1,
        column: missing.map((k) => columns[k as K]).join(', '),
        reason: `kolom wajib tidak ada; baris judul berkas ini: ${headerList(cells)}; kolom yang diharapkan: ${Object.values(columns).join(', ')}`,
        code: 'COLUMNS_MISSING',
        file: true,
      },
    };
  }
  if (twice.length > 0) {
    return {
      problem: {
        line: 1,
        column: 'Baris judul',
        reason: `kolom ganda: ${twice.join('; ')}; hapus atau ganti nama salah satunya agar jelas isian mana yang dipakai`,
        code: 'COLUMNS_DUPLICATE',
        file: true,
      },
    };
  }
  return { at };
};

/** A data row with more or fewer cells than the header: its values would sit under the wrong columns. */
const rowShape = <K extends string>(
  cells: string[],
  width: number,
  at: [K, number][],
  columns: Record<K, string>,
): Omit<RowProblem, 'line'> | undefined => {
  if (cells.length === width) {
    return undefined;
  }
  const absent = at.filter(([, index]) => index >= cells.length).map(([key]) => columns[key]);
  return cells.length < width
    ? {
        column: 'Jumlah kolom',
        reason: `baris ini berisi ${cells.length} isian, baris judul ${width}${absent.length > 0 ? ` (tidak ada isian untuk ${absent.join(', ')})` : ''}: periksa tanda pemisah yang hilang, atau tanda kutip yang menggabungkan dua isian`,
        code: 'ROW_TOO_SHORT',
      }
    : {
        column: 'Jumlah kolom',
        reason: `baris ini berisi ${cells.length} isian, baris judul hanya ${width}: isian yang memuat tanda pemisah (mis. koma dalam nama) harus diapit tanda kutip ("…"), dan tanda pemisah berlebih dihapus`,
        code: 'ROW_TOO_LONG',
      };
};

const ASN_COLUMNS = {
  nip: 'NIP',
  nama: 'Nama',
  jabatan: 'Jabatan',
  jenisasn: 'Jenis ASN',
  kodeopd: 'Kode OPD',
} as const;
const OPD_COLUMNS = {
  kodeopd: 'Kode OPD',
  namaopd: 'Nama OPD',
  jenis: 'Jenis',
  kodeinduk: 'Kode Induk',
  idopd: 'ID OPD',
} as const;
const OPD_REQUIRED = ['kodeopd', 'namaopd', 'jenis'] as const;

const KIND_ALIASES: Record<string, OpdKind> = {
  sekretariatdaerah: 'SEKRETARIAT_DAERAH',
  setda: 'SEKRETARIAT_DAERAH',
  sekretariatdprd: 'SEKRETARIAT_DPRD',
  setwan: 'SEKRETARIAT_DPRD',
  inspektorat: 'INSPEKTORAT',
  dinas: 'DINAS',
  badan: 'BADAN',
  kecamatan: 'KECAMATAN',
  kelurahan: 'KELURAHAN',
  rsud: 'RSUD',
  rumahsakitumumdaerah: 'RSUD',
  satpolpp: 'SATPOL_PP',
  satuanpolisipamongpraja: 'SATPOL_PP',
  lainnya: 'LAINNYA',
};
for (const kind of OPD_KINDS) {
  KIND_ALIASES[norm(kind)] = kind;
}

/** A stream id from an OPD name: `Dinas Kesehatan` → `dinas-kesehatan`. */
export const slugify = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** A valid row of an ASN import, and what it changes: enrolment, or for an enrolled ASN a new position
 * and/or a move. */
interface AsnImportRow {
  line: number;
  nip: string;
  name: string;
  position: string;
  employmentType: EmploymentType;
  opdId: string;
}
interface AsnImportStep {
  row: AsnImportRow;
  enroll?: true;
  update?: true;
  transfer?: true;
}

/**
 * The registry as the import looks things up: by id, and by code as officials compare codes (trimmed,
 * case-insensitive: `normaliseOpdCode`). A code normally names one active OPD; dissolved OPDs keep theirs
 * for the record, and OPDs registered before codes were unique may share one (then the code is ambiguous
 * and a row must name the OPD by its id).
 */
class OpdLookup {
  private readonly byCode = new Map<string, RegisteredOpd[]>();

  constructor(readonly byId: ReadonlyMap<string, RegisteredOpd>) {
    for (const opd of byId.values()) {
      const key = normaliseOpdCode(opd.code);
      this.byCode.set(key, [...(this.byCode.get(key) ?? []), opd]);
    }
  }

  /** The OPDs holding `code`, active ones first. */
  withCode(code: string): RegisteredOpd[] {
    return [...(this.byCode.get(normaliseOpdCode(code)) ?? [])].sort(
      (a, b) => Number(b.status === 'active') - Number(a.status === 'active'),
    );
  }

  /** What a `Kode OPD` cell names: an OPD code, or an OPD id (as typed or slugified). */
  resolve(value: string): { opd: RegisteredOpd } | { problem: string } {
    const holders = this.withCode(value);
    const active = holders.filter((o) => o.status === 'active');
    if (active.length > 1) {
      return {
        problem: `kode "${value}" dipakai lebih dari satu OPD aktif (${active.map((o) => o.opdId).join(', ')}): isi kolom ini dengan ID OPD yang dimaksud`,
      };
    }
    const opd = holders[0] ?? this.byId.get(value) ?? this.byId.get(slugify(value));
    if (!opd) {
      return { problem: `OPD dengan kode "${value}" belum terdaftar` };
    }
    if (opd.status !== 'active') {
      return { problem: `OPD ${opd.name} sudah dibubarkan` };
    }
    return { opd };
  }
}

/**
 * CSV roster import (SIASN-style exports). Every row is validated before anything is written; any bad row
 * means nothing is written and every bad row is reported (line, column, reason). Re-importing the same file
 * writes nothing: identical rows are skipped. Writes go through the command services (the only writers of
 * `asn-*` and `opd-*` streams) with real metadata, many at a time, so the store's group commit carries them.
 */
@Injectable()
export class RosterImport {
  constructor(
    private readonly asnCommands: AsnCommands,
    private readonly opdCommands: OpdCommands,
    private readonly registry: RegistryFacts,
    private readonly membership: OpdMembershipLock,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async importAsn(
    input: Readable,
    actor: ActorContext,
    options: ImportOptions = {},
  ): Promise<ImportReport> {
    assertRegencyWide(actor);
    const today = this.clock.today();
    const opds = new OpdLookup(await this.registry.opds());
    const errors: RowProblem[] = [];
    const rows: AsnImportRow[] = [];
    const seen = new Map<string, number>();
    let count = 0;
    for await (const { line, record } of this.records(
      input,
      ASN_COLUMNS,
      Object.keys(ASN_COLUMNS),
      errors,
    )) {
      count += 1;
      const problems: RowProblem[] = [];
      const nipCheck = validateNip(record.nip ?? '', { today });
      if (!nipCheck.valid) {
        problems.push({
          line,
          column: 'NIP',
          reason: record.nip?.trim() ? nipCheck.reason : 'wajib diisi',
          code: nipCheck.code,
        });
      } else if (seen.has(nipCheck.nip)) {
        problems.push({
          line,
          column: 'NIP',
          reason: `NIP ganda: sudah ada di baris ${seen.get(nipCheck.nip)}`,
        });
      }
      const name = nameCell(record.nama, line, 'Nama', problems);
      const position = nameCell(record.jabatan, line, 'Jabatan', problems);
      const type = (record.jenisasn ?? '').trim().toUpperCase();
      if (type !== 'PNS' && type !== 'PPPK') {
        problems.push({
          line,
          column: 'Jenis ASN',
          reason: type ? 'harus PNS atau PPPK' : 'wajib diisi (PNS atau PPPK)',
        });
      }
      const opdCode = (record.kodeopd ?? '').trim();
      const found = opdCode ? opds.resolve(opdCode) : { problem: 'wajib diisi' };
      const opd = 'opd' in found ? found.opd : undefined;
      if ('problem' in found) {
        problems.push({ line, column: 'Kode OPD', reason: found.problem });
      }
      if (problems.length > 0 || !nipCheck.valid || !opd) {
        errors.push(...problems);
      } else {
        seen.set(nipCheck.nip, line);
        rows.push({
          line,
          nip: nipCheck.nip,
          name,
          position,
          employmentType: type as EmploymentType,
          opdId: opd.opdId,
        });
      }
      options.onProgress?.('validate', count, count);
    }
    const report: ImportReport = {
      kind: 'asn',
      dryRun: options.dryRun ?? false,
      rows: count,
      created: 0,
      transferred: 0,
      updated: 0,
      unchanged: 0,
      errors,
      position: null,
    };
    // Compare with what is already enrolled, so a re-import writes nothing and a move is a transfer. One
    // scan of the ASN streams rather than a read per row; only the file's NIPs are kept. Anything written
    // to them after `scanned` is looked for again once the import holds them.
    const scanned = await this.registry.head();
    const known = await this.registry.asn(new Set(rows.map((row) => row.nip)));
    const plan: AsnImportStep[] = [];
    for (const row of rows) {
      const { state } = known.get(row.nip) ?? NO_ASN;
      if (state.status === 'none') {
        plan.push({ row, enroll: true });
      } else if (state.status === 'left') {
        errors.push({
          line: row.line,
          column: 'NIP',
          reason: 'ASN ini sudah tercatat keluar; tidak dapat didaftarkan ulang lewat impor',
        });
      } else {
        // A newer export's `Jabatan` is a promotion or a new post: recorded as a change of position. A
        // different `Nama` may be a mistyped NIP, which must not rename someone else, and a different `Jenis
        // ASN` is another appointment (another NIP): both are refused, naming what differs, rather than
        // applied or skipped as if they matched. A name is corrected deliberately, one ASN at a time
        // (POST /asn/{nip}/details).
        const refused = (
          [
            ['Nama', state.name, row.name],
            ['Jenis ASN', state.employmentType, row.employmentType],
          ] as const
        ).filter(([, enrolled, file]) => !sameText(enrolled, file));
        for (const [column, enrolled, file] of refused) {
          errors.push({
            line: row.line,
            column,
            reason: `berbeda dengan registri untuk NIP ${row.nip}: registri "${enrolled}", berkas "${file}". Impor tidak mengubah ${column === 'Nama' ? 'nama ASN yang sudah terdaftar (perbaiki nama lewat registri, satu per satu)' : 'jenis ASN (PNS/PPPK memiliki NIP sendiri)'}; periksa NIP-nya, atau samakan kolom ini dengan registri (atau hapus barisnya) lalu unggah lagi`,
          });
        }
        if (refused.length > 0) {
          continue;
        }
        const step = {
          row,
          ...(sameText(state.position, row.position) ? {} : { update: true as const }),
          ...(state.opdId === row.opdId ? {} : { transfer: true as const }),
        };
        if (step.update || step.transfer) {
          plan.push(step);
        } else {
          report.unchanged += 1;
        }
      }
    }
    errors.sort((a, b) => a.line - b.line);
    report.created = plan.filter((p) => p.enroll).length;
    report.transferred = plan.filter((p) => p.transfer).length;
    report.updated = plan.filter((p) => p.update).length;
    if (errors.length > 0 || report.dryRun || plan.length === 0) {
      return report;
    }
    // The ASN it writes, the OPDs it adds staff to and those its moves leave are held while it writes (see
    // OpdMembershipLock), so no other write to them lands in the middle: the import is written whole or
    // not at all. What changed since they were read above is checked once held: an OPD dissolved, or an
    // ASN enrolled, moved or changed by another request, refuses its rows.
    const joined = new Set(plan.filter((p) => p.enroll || p.transfer).map((p) => p.row.opdId));
    const left = plan.flatMap(({ row, transfer }) => {
      const { state } = known.get(row.nip) ?? NO_ASN;
      return transfer && state.status === 'active' ? [state.opdId] : [];
    });
    const written = new Set(plan.map((p) => p.row.nip));
    return this.membership.change({ asns: written, opds: [...joined, ...left] }, async () => {
      const registry = await this.registry.opds();
      const changed = await this.registry.asnWrittenAfter(scanned, written);
      for (const { row, enroll, transfer } of plan) {
        const opd = registry.get(row.opdId);
        if ((enroll || transfer) && opd?.status !== 'active') {
          errors.push({
            line: row.line,
            column: 'Kode OPD',
            reason: `OPD ${opd?.name ?? row.opdId} sudah dibubarkan saat impor berjalan`,
          });
        }
        if (changed.has(row.nip)) {
          errors.push({
            line: row.line,
            column: 'NIP',
            reason:
              'ASN ini didaftarkan, dipindahkan atau diubah oleh permintaan lain saat impor berjalan; unggah berkas ini lagi (baris yang sudah sesuai dilewati)',
          });
        }
      }
      if (errors.length === 0) {
        report.position = await this.writePlan(plan, known, actor, options);
      }
      return report;
    });
  }

  /** Writes an ASN import's plan, many rows at a time; the position of its last event. */
  private async writePlan(
    plan: readonly AsnImportStep[],
    known: ReadonlyMap<string, Loaded<Asn>>,
    actor: ActorContext,
    options: ImportOptions,
  ): Promise<string | null> {
    let done = 0;
    let last = 0n;
    const metadata = commandMetadata(actor, this.clock.moment());
    await this.inParallel(plan, async ({ row, enroll, update, transfer }) => {
      // Enrolment alone, or for an enrolled ASN a new position, then a move.
      const commands: AsnCommand[] = [];
      if (enroll) {
        commands.push({
          type: 'EnrollAsn',
          data: {
            nip: row.nip,
            name: row.name,
            position: row.position,
            employmentType: row.employmentType,
            opdId: row.opdId,
          },
          context: { opd: 'active' },
          metadata,
        });
      }
      if (update) {
        commands.push({
          type: 'ChangeAsnDetails',
          data: { position: row.position, reason: IMPORT_POSITION_REASON },
          metadata,
        });
      }
      if (transfer) {
        commands.push({
          type: 'TransferAsn',
          data: { toOpdId: row.opdId },
          context: { opd: 'active' },
          metadata,
        });
      }
      const position = await this.asnCommands.applyImported(
        row.nip,
        commands,
        known.get(row.nip) ?? NO_ASN,
      );
      if (position !== null && position > last) {
        last = position;
      }
      options.onProgress?.('write', (done += 1), plan.length);
    });
    return last > 0n ? String(last) : null;
  }

  async importOpds(
    input: Readable,
    actor: ActorContext,
    options: ImportOptions = {},
  ): Promise<ImportReport> {
    assertRegencyWide(actor);
    const registry = await this.registry.opds();
    const existing = new OpdLookup(registry);
    const errors: RowProblem[] = [];
    /** Every row read. A check that needs what the row lacks (a valid code or id) is skipped for it, and
     * only that one: every other problem of the row is still reported. Only clean rows are written. */
    const rows: OpdImportRow[] = [];
    const codes = new Map<string, number>();
    let count = 0;
    for await (const { line, record } of this.records(input, OPD_COLUMNS, OPD_REQUIRED, errors)) {
      count += 1;
      const code = (record.kodeopd ?? '').trim();
      const key = normaliseOpdCode(code);
      const nameProblems: RowProblem[] = [];
      const name = nameCell(record.namaopd, line, 'Nama OPD', nameProblems);
      const kind = KIND_ALIASES[norm(record.jenis ?? '')];
      const opdId = (record.idopd ?? '').trim() || slugify(name);
      const before = errors.length;
      let codeOk = false;
      if (!/^[0-9A-Za-z.\-/]{1,32}$/.test(code)) {
        errors.push({
          line,
          column: 'Kode OPD',
          reason: code
            ? 'hanya angka, huruf, titik, garis miring atau tanda hubung (paling panjang 32 karakter)'
            : 'wajib diisi',
        });
      } else if (codes.has(key)) {
        errors.push({
          line,
          column: 'Kode OPD',
          reason: `kode ganda: sudah ada di baris ${codes.get(key)} (huruf besar/kecil tidak membedakan kode)`,
        });
      } else {
        codeOk = true;
        codes.set(key, line);
      }
      errors.push(...nameProblems);
      if (!kind) {
        errors.push({
          line,
          column: 'Jenis',
          reason: record.jenis?.trim()
            ? `tidak dikenal; gunakan salah satu: ${OPD_KINDS.join(', ')}`
            : `wajib diisi; salah satu dari: ${OPD_KINDS.join(', ')}`,
        });
      }
      const idOk = /^[a-z0-9][a-z0-9-]{1,63}$/.test(opdId);
      // An id left blank comes from the name: with no name, "Nama OPD wajib diisi" already says it all.
      if (!idOk && (opdId || name)) {
        errors.push({
          line,
          column: 'ID OPD',
          reason: 'huruf kecil, angka dan tanda hubung (2–64 karakter)',
        });
      }
      const parentCode = (record.kodeinduk ?? '').trim();
      rows.push({
        line,
        opdId,
        idOk,
        code,
        key,
        codeOk,
        name,
        kind,
        clean: errors.length === before,
        ...(parentCode ? { parentCode, parentKey: normaliseOpdCode(parentCode) } : {}),
      });
      options.onProgress?.('validate', count, count);
    }
    const byKey = new Map(rows.filter((r) => r.codeOk).map((r) => [r.key, r]));
    const idLines = new Map<string, number>();
    const plan: (OpdImportRow & { kind: OpdKind })[] = [];
    const parents = new Map<string, string>();
    let unchanged = 0;
    for (const row of rows) {
      const before = errors.length;
      if (row.parentKey && byKey.has(row.parentKey)) {
        parents.set(row.opdId, byKey.get(row.parentKey)!.opdId);
      } else if (row.parentKey) {
        const [parent] = existing.withCode(row.parentCode!);
        if (!parent) {
          errors.push({
            line: row.line,
            column: 'Kode Induk',
            reason: `OPD induk dengan kode "${echoed(row.parentCode!)}" tidak ada di berkas maupun di registri`,
          });
        } else if (parent.status !== 'active') {
          errors.push({
            line: row.line,
            column: 'Kode Induk',
            reason: `OPD induk ${parent.opdId} sudah dibubarkan`,
          });
        } else {
          parents.set(row.opdId, parent.opdId);
        }
      }
      // Parents within the file must end at the registry or a top-level OPD, never loop back.
      const seen = [row.code];
      const seenKeys = new Set([row.key]);
      for (let up = row.codeOk ? row.parentKey : undefined; up !== undefined && byKey.has(up);) {
        if (seenKeys.has(up)) {
          errors.push({
            line: row.line,
            column: 'Kode Induk',
            reason: `induk berputar: ${[...seen, byKey.get(up)!.code].join(' → ')}`,
          });
          break;
        }
        seenKeys.add(up);
        seen.push(byKey.get(up)!.code);
        up = byKey.get(up)!.parentKey;
      }
      const takenId = row.idOk ? registry.get(row.opdId) : undefined;
      if (row.idOk) {
        const sameId = idLines.get(row.opdId);
        if (sameId !== undefined) {
          errors.push({
            line: row.line,
            column: 'ID OPD',
            reason: `ID ${row.opdId} ganda: sudah dipakai di baris ${sameId} (isi kolom ID OPD agar berbeda)`,
          });
        }
        idLines.set(row.opdId, row.line);
        if (takenId && row.codeOk && normaliseOpdCode(takenId.code) !== row.key) {
          errors.push({
            line: row.line,
            column: 'ID OPD',
            reason: `ID ${row.opdId} sudah dipakai OPD berkode ${takenId.code} di registri`,
          });
        }
      }
      // One active OPD per code: a dissolved OPD's code may be given to a new one.
      const holder = row.codeOk
        ? existing.withCode(row.code).find((o) => o.opdId === row.opdId || o.status === 'active')
        : undefined;
      if (holder && holder.opdId !== row.opdId) {
        errors.push({
          line: row.line,
          column: 'Kode OPD',
          reason: `kode ${row.code} sudah dipakai ${holder.name} (${holder.opdId}); gunakan kode lain atau bubarkan OPD itu lebih dulu`,
        });
      }
      if (!row.clean || row.kind === undefined || errors.length > before) {
        continue;
      }
      if (takenId) {
        unchanged += 1;
      } else {
        plan.push({ ...row, kind: row.kind });
      }
    }
    errors.sort((a, b) => a.line - b.line);
    const report: ImportReport = {
      kind: 'opds',
      dryRun: options.dryRun ?? false,
      rows: count,
      created: plan.length,
      transferred: 0,
      updated: 0,
      unchanged,
      errors,
      position: null,
    };
    if (errors.length > 0 || report.dryRun || plan.length === 0) {
      return report;
    }
    // The OPDs it registers, their parents in the registry and its codes are held while it writes (see
    // OpdMembershipLock), so no registration or dissolution lands in the middle: the import is written
    // whole or not at all. What changed since the registry was read above is checked once held.
    const planned = new Set(plan.map((row) => row.opdId));
    const registryParents = [...parents.values()].filter((opdId) => !planned.has(opdId));
    const scope = {
      opds: [...planned, ...registryParents],
      codes: plan.map((row) => row.key),
    };
    return this.membership.change(scope, async () => {
      const now = await this.registry.opds();
      errors.push(...this.registeredMeanwhile(plan, parents, planned, new OpdLookup(now)));
      if (errors.length === 0) {
        report.position = await this.writeOpds(plan, byKey, parents, now, actor, options);
      }
      return report;
    });
  }

  /** Rows of an OPD import's plan whose id or code another request registered since the file was checked,
   * or whose parent in the registry it dissolved. */
  private registeredMeanwhile(
    plan: readonly OpdImportRow[],
    parents: ReadonlyMap<string, string>,
    planned: ReadonlySet<string>,
    now: OpdLookup,
  ): RowProblem[] {
    const meanwhile = 'oleh permintaan lain saat impor berjalan; unggah berkas ini lagi';
    const problems: RowProblem[] = [];
    for (const row of plan) {
      const holder = now.withCode(row.code).find((o) => o.status === 'active');
      if (now.byId.has(row.opdId)) {
        problems.push({
          line: row.line,
          column: 'ID OPD',
          reason: `ID ${row.opdId} didaftarkan ${meanwhile}`,
        });
      } else if (holder) {
        problems.push({
          line: row.line,
          column: 'Kode OPD',
          reason: `kode ${row.code} dipakai ${holder.name} (${holder.opdId}), didaftarkan ${meanwhile}`,
        });
      }
      const parent = parents.get(row.opdId);
      if (parent && !planned.has(parent) && now.byId.get(parent)?.status !== 'active') {
        problems.push({
          line: row.line,
          column: 'Kode Induk',
          reason: `OPD induk ${parent} dibubarkan ${meanwhile}`,
        });
      }
    }
    return problems;
  }

  /** Writes an OPD import's plan, parents first; the position of its last event. */
  private async writeOpds(
    plan: (OpdImportRow & { kind: OpdKind })[],
    byKey: ReadonlyMap<string, OpdImportRow>,
    parents: ReadonlyMap<string, string>,
    registry: ReadonlyMap<string, RegisteredOpd>,
    actor: ActorContext,
    options: ImportOptions,
  ): Promise<string | null> {
    // Parents first: a child's registration checks that its parent exists (no cycles: refused above).
    const depth = (row: OpdImportRow): number =>
      row.parentKey && byKey.has(row.parentKey) ? 1 + depth(byKey.get(row.parentKey)!) : 0;
    plan.sort((a, b) => depth(a) - depth(b));
    let last = 0n;
    let done = 0;
    for (const row of plan) {
      const parentOpdId = parents.get(row.opdId);
      const metadata = commandMetadata(actor, this.clock.moment());
      // Checked above for every row: a parent is in this file (written first) or active in the registry.
      const position = await this.opdCommands.registerImported(
        {
          opdId: row.opdId,
          code: row.code,
          name: row.name,
          kind: row.kind,
          regionCode: this.config.regionCode,
          ...(parentOpdId ? { parentOpdId } : {}),
        },
        metadata,
        registry,
      );
      last = position ?? last;
      options.onProgress?.('write', (done += 1), plan.length);
    }
    return last > 0n ? String(last) : null;
  }

  /** Throws the report as a 400 listing every bad row (for the API). */
  static assertClean(report: ImportReport): ImportReport {
    if (report.errors.length > 0) {
      throw invalid(
        'ROSTER_INVALID',
        `${report.errors.length} masalah pada berkas; tidak ada data yang disimpan. Perbaiki baris yang disebut lalu unggah lagi.`,
        report.errors.slice(0, 1000).map((e) => ({
          field: e.file ? 'file' : `baris ${e.line}: ${e.column}`,
          reason: e.reason,
          code: e.code ?? (e.file ? 'ROSTER_FILE_INVALID' : 'ROSTER_ROW_INVALID'),
          line: e.line,
          column: e.column,
        })),
      );
    }
    return report;
  }

  /** Parses a CSV (`,` or `;`, whichever the header uses; UTF-8 with or without BOM), checking the header
   * once. */
  private async *records<K extends string>(
    input: Readable,
    columns: Record<K, string>,
    required: readonly string[],
    errors: RowProblem[],
  ): AsyncGenerator<{ line: number; record: Partial<Record<K, string>> }> {
    const { delimiter, stream, text } = await sniffDelimiter(input);
    if (text !== 'utf8') {
      errors.push({
        line: 1,
        column: 'Berkas',
        ...(text === 'binary'
          ? {
              reason:
                'bukan berkas CSV (teks): simpan daftarnya sebagai CSV (UTF-8) dari Excel atau SIASN, lalu unggah berkas itu',
              code: 'NOT_TEXT',
            }
          : {
              reason:
                'teks ini bukan UTF-8 (mis. disimpan sebagai CSV ANSI/Latin-1, sehingga huruf seperti "é" tidak terbaca): simpan sebagai "CSV UTF-8" lalu unggah lagi',
              code: 'NOT_UTF8',
            }),
        file: true,
      });
      return;
    }
    const parser = stream.pipe(
      parse({
        bom: true,
        // One separator per file, read off the header: Excel in the Indonesian locale writes `;` and leaves
        // commas inside names unquoted ("dr. I Wayan Sudana, M.Kes."), so both at once would split them.
        delimiter,
        skip_empty_lines: true,
        trim: true,
        // Rows are arrays, their length checked here against the header's: a row with a cell too few or
        // too many is reported on its line, not parsed into shifted columns nor the file refused at once.
        relax_column_count: true,
        info: true,
        max_record_size: 64 * 1024,
      }),
    );
    /** Index of each column read, by its key; undefined until the header has been read. */
    let at: [K, number][] | undefined;
    let width = 0;
    let dataRows = 0;
    try {
      for await (const { record: cells, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        if (at === undefined) {
          const header = readHeader(cells, columns, required);
          if ('problem' in header) {
            errors.push(header.problem);
            return;
          }
          at = header.at;
          width = cells.length;
          continue;
        }
        dataRows += 1;
        const line = info.lines;
        const shape = rowShape(cells, width, at, columns);
        if (shape !== undefined) {
          errors.push({ line, ...shape });
          continue;
        }
        const record: Partial<Record<K, string>> = {};
        for (const [key, index] of at) {
          record[key] = cells[index];
        }
        // The head was checked to be UTF-8; a later row in another encoding (a Latin-1 "é") decodes to
        // U+FFFD, which no roster means: refused on its cell rather than stored changed.
        const garbled = at.find(([key]) => record[key]?.includes('\uFFFD'));
        if (garbled !== undefined) {
          errors.push({
            line,
            column: columns[garbled[0]],
            reason:
              'berisi huruf yang bukan UTF-8 (mis. dari pengodean ANSI/Latin-1): simpan berkas sebagai "CSV UTF-8" lalu unggah lagi',
            code: 'NOT_UTF8',
          });
          continue;
        }
        yield { line, record };
      }
    } catch (error) {
      const lines = (error as { lines?: number }).lines ?? 0;
      errors.push({
        line: lines,
        column: '-',
        reason: `berkas CSV tidak dapat dibaca: ${csvProblem(error)}`,
        code: 'CSV_UNREADABLE',
        file: true,
      });
      return;
    }
    if (dataRows === 0) {
      // Not one data row: an empty file, or a header alone. Importing nothing is not what was meant.
      errors.push({
        line: 1,
        column: 'Berkas',
        reason: 'tidak ada baris data: berkasnya kosong atau hanya berisi baris judul',
        code: 'FILE_EMPTY',
        file: true,
      });
    }
  }

  /** Runs `work` over items with bounded concurrency (appends in flight share the store's group commit). */
  private async inParallel<T>(
    items: readonly T[],
    work: (item: T) => Promise<void>,
    concurrency = 256,
  ): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, items.length) }, async () => {
        while (next < items.length) {
          await work(items[next++]);
        }
      }),
    );
  }
}

/** csv-parse's error, said for the person who saved the file (its English message names internal keys). */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'ada tanda kutip (") yang tidak ditutup',
  INVALID_OPENING_QUOTE:
    'ada tanda kutip (") di tengah isian; isian yang memuat tanda kutip harus diapit tanda kutip, dan kutip di dalamnya ditulis dua kali ("")',
  CSV_INVALID_CLOSING_QUOTE: 'ada huruf tepat setelah tanda kutip penutup (")',
  CSV_MAX_RECORD_SIZE: 'ada baris lebih dari 64 KB: periksa tanda kutip yang tidak ditutup',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'ada huruf setelah tanda kutip penutup (")',
};
const csvProblem = (error: unknown): string => {
  const { code, lines } = error as { code?: unknown; lines?: unknown };
  const said = typeof code === 'string' ? CSV_PROBLEMS[code] : undefined;
  const where = typeof lines === 'number' && lines > 0 ? ` (baris ${lines})` : '';
  return `${said ?? 'bentuk CSV tidak sah'}${where}`;
};

/** The header line's separator (`;` when it has more of them than commas), whether the file starts as
 * UTF-8 text (a picture, a PDF or an .xlsx is binary; a CSV saved as ANSI/Latin-1 is text in another
 * encoding), and the input, unconsumed. */
const sniffDelimiter = async (
  input: Readable,
): Promise<{ delimiter: string; stream: Readable; text: 'utf8' | 'not-utf8' | 'binary' }> => {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string, undefined>;
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await chunks.next();
    if (done) {
      break;
    }
    const chunk = typeof value === 'string' ? Buffer.from(value) : value;
    head.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a) || size >= 64 * 1024) {
      break;
    }
  }
  const headBytes = Buffer.concat(head);
  let text: 'utf8' | 'not-utf8' | 'binary' = headBytes.includes(0x00) ? 'binary' : 'utf8';
  try {
    // `stream`: a character cut at the end of what was read is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(headBytes, { stream: true });
  } catch {
    // Text in another encoding has no NUL and mostly ASCII; a picture or an .xlsx has control bytes.
    text =
      text === 'binary' || headBytes.some((b) => b < 0x09 || (b > 0x0d && b < 0x20))
        ? 'binary'
        : 'not-utf8';
  }
  const headText = headBytes.toString('utf8');
  const firstLine = headText.split('\n', 1)[0];
  const count = (c: string) => firstLine.split(c).length - 1;
  const delimiter = count(';') > count(',') ? ';' : ',';
  const rest = async function* () {
    yield* head;
    for (;;) {
      const { value, done } = await chunks.next();
      if (done) {
        return;
      }
      yield value;
    }
  };
  return { delimiter, stream: Readable.from(rest()), text };
};
