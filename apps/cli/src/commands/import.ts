import { DomainError } from '@netral/domain';
import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { systemActor } from '../../../ledger/src/identity/user.commands';
import {
  type ImportReport,
  problemKinds,
  RosterImport,
  SUMMARY_AFTER,
} from '../../../ledger/src/registry/roster-import';
import { withLedger } from '../app-context';
import { CliError, EXIT_CODES } from '../cli-error';
import { checkFile, inputPath, readingFails } from '../input-file';
import { counter, type Progress, progress } from '../progress';

const problemSummary = (errors: ImportReport['errors']): string[] => [
  `Ringkasan: ${errors.length} masalah di ${new Set(errors.map((e) => e.line)).size} baris; tidak ada data yang disimpan.`,
  ...problemKinds(errors).map(
    (k) =>
      `  ${k.count} × kolom ${k.column}: ${k.alike ? '' : 'mis. '}${k.reason} (pertama di baris ${k.firstLine})`,
  ),
];

const printReport = (report: ImportReport): void => {
  const what = report.kind === 'asn' ? 'ASN' : 'OPD';
  if (report.errors.length > 0) {
    console.error(`\n${report.errors.length} masalah ditemukan; tidak ada data yang disimpan:`);
    for (const e of report.errors) {
      console.error(`  baris ${e.line}, kolom ${e.column}: ${e.reason}`);
    }
    if (report.errors.length > SUMMARY_AFTER) {
      console.error(`\n${problemSummary(report.errors).join('\n')}`);
    }
    return;
  }
  const verb = report.dryRun ? 'akan' : 'telah';
  console.log(
    `${report.rows} baris diperiksa: ${report.created} ${what} ${verb} didaftarkan` +
      (report.kind === 'asn'
        ? `, ${report.transferred} ${verb} dimutasi, ${report.updated} ${verb} diubah jabatannya`
        : '') +
      `, ${report.unchanged} sudah sesuai (dilewati).` +
      (report.dryRun ? ' (uji coba: tidak ada yang disimpan)' : '') +
      (report.position ? ` Posisi terakhir: ${report.position}.` : ''),
  );
};

const IMPORT_INSTEAD =
  'Selagi layanan berjalan, impor lewat halaman Impor CSV atau POST /api/v1/asn/import (dan /opds/import); ' +
  'atau hentikan layanan lalu jalankan perintah ini lagi.';

const run = async (
  kind: 'asn' | 'opds',
  file: string,
  options: { dryRun?: boolean },
): Promise<void> => {
  checkFile(file, 'Berkas');
  const report = await withLedger(
    async (app) => {
      const roster = app.get(RosterImport);
      // Rows are counted while streaming (no known end); writing has a total, so it gets a bar.
      const checking = counter('memeriksa');
      let writing: Progress | undefined;
      const onProgress = (phase: 'validate' | 'write', done: number, total: number) => {
        if (phase === 'validate') {
          checking.update(done);
          return;
        }
        checking.stop();
        writing ??= progress('menyimpan', total);
        writing.increment();
        if (done === total) {
          writing.stop();
        }
      };
      const input = createReadStream(file);
      // Like every CLI write (users create, set-password): the system did it, not a signed-in person.
      const actor = systemActor();
      const importOptions = { dryRun: options.dryRun ?? false, onProgress };
      try {
        return kind === 'asn'
          ? await roster.importAsn(input, actor, importOptions)
          : await roster.importOpds(input, actor, importOptions);
      } catch (error) {
        // A rule that refused a write after the rows were checked (e.g. an OPD code taken meanwhile).
        if (error instanceof DomainError) {
          const details = (error.details ?? [])
            .map((d) => `\n  - ${d.field}: ${d.reason}`)
            .join('');
          throw new CliError(`Impor dihentikan: ${error.message}${details}`, EXIT_CODES.rejected);
        }
        // The file failing to read midway (an fs error on its path), not the store: unusable input.
        if ((error as NodeJS.ErrnoException).path === file) {
          return readingFails(error, file);
        }
        throw error;
      } finally {
        checking.stop();
      }
      // Writing holds the data directory: the OPD membership rules are kept by one process at a time (the
      // service's own import holds them there). A dry run writes nothing and runs beside the service.
    },
    options.dryRun ? {} : { exclusive: IMPORT_INSTEAD },
  );
  printReport(report);
  if (report.errors.length > 0) {
    throw new CliError(
      `Impor dibatalkan: perbaiki baris di atas lalu jalankan lagi (kode keluar ${EXIT_CODES.rejected}).`,
      EXIT_CODES.rejected,
    );
  }
};

export const registerImportCommands = (program: Command): void => {
  const importCommand = program
    .command('import')
    .description('impor registri dari CSV (semua baris atau tidak sama sekali)');
  importCommand
    .command('asn <file>')
    .description('ASN dari ekspor SIASN: kolom NIP, Nama, Jabatan, Jenis ASN, Kode OPD')
    .option('--dry-run', 'hanya memeriksa, tidak menyimpan')
    .action((file: string, options: { dryRun?: boolean }) => run('asn', inputPath(file), options));
  importCommand
    .command('opds <file>')
    .description('OPD: kolom Kode OPD, Nama OPD, Jenis, Kode Induk (opsional), ID OPD (opsional)')
    .option('--dry-run', 'hanya memeriksa, tidak menyimpan')
    .action((file: string, options: { dryRun?: boolean }) => run('opds', inputPath(file), options));
};
