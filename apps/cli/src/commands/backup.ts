import type { AppConfig } from '@netral/config';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCheckedConfig } from '../../../ledger/src/boot';
import { DataDirLock, dataDirBusy } from '../../../ledger/src/infrastructure/data-dir-lock';
import { EVENTS_FILE } from '../../../ledger/src/infrastructure/event-store.module';
import {
  BACKUP_FORMAT,
  type BackupManifest,
  checkBackup,
  contentsOf,
  copyDataDir,
  describeCopy,
  isWithin,
  MANIFEST_FILE,
  readManifest,
  restoreFiles,
  writeManifest,
} from '../backup/backup';
import { CliError, EXIT_CODES } from '../cli-error';
import { inputPath } from '../input-file';
import { progress } from '../progress';

/** A progress bar over bytes, shown in KiB. */
const bytesBar = (label: string) => {
  const bar = progress(`${label} (KiB)`, 0);
  let bytes = 0;
  let total = 0;
  return {
    planned: (planned: number) => {
      total = Math.ceil(planned / 1024);
      bar.setTotal(total);
    },
    copied: (more: number) => {
      bytes += more;
      bar.update(Math.floor(bytes / 1024));
    },
    /** Done: the whole plan (a last partial KiB, or an estimate a little above what there was). */
    stop: () => {
      bar.update(Math.max(Math.floor(bytes / 1024), total));
      bar.stop();
    },
  };
};

const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;

const ledgerLine = (manifest: BackupManifest): string =>
  manifest.ledger
    ? `ledger ${manifest.ledger.events} event sampai posisi ${manifest.ledger.headPosition ?? '—'}`
    : 'event di EventStoreDB (tidak termasuk)';

/** Key files the configuration names outside the data directory: the backup does not hold them. */
const keysOutside = (config: AppConfig, dataDir: string): string[] =>
  (
    [
      ['NETRAL_SIGNER_P12_PATH', config.signer.p12Path],
      ['NETRAL_SIGNER_KEY_PATH', config.signer.keyPath],
      ['NETRAL_SIGNER_CERT_PATH', config.signer.certPath],
      ['NETRAL_SIGNER_CHAIN_PATH', config.signer.chainPath],
      ['NETRAL_CHECKPOINT_KEY_PATH', config.checkpoint.keyPath],
    ] as const
  )
    .filter(([, path]) => path !== undefined && !isWithin(dataDir, resolve(path)))
    .map(([name, path]) => `${name} (${path})`);

/** A checked backup, or the exit the problem calls for. */
const checkedBackup = async (dir: string): Promise<BackupManifest> => {
  const read = await readManifest(dir);
  if ('unusable' in read) {
    throw new CliError(read.unusable, EXIT_CODES.usage);
  }
  const { manifest } = read;
  const bar = bytesBar('memeriksa');
  bar.planned(manifest.files.reduce((sum, entry) => sum + entry.bytes, 0));
  const problems = await checkBackup(dir, manifest, bar.copied);
  bar.stop();
  if (problems.length > 0) {
    throw new CliError(
      [
        `Cadangan ${dir} TIDAK utuh: ${problems.length} masalah.`,
        ...problems.map((problem) => `  ${problem}`),
      ].join('\n'),
      EXIT_CODES.failed,
    );
  }
  return manifest;
};

export const registerBackupCommands = (program: Command): void => {
  const backup = program
    .command('backup')
    .description('cadangan direktori data: buat, periksa, pulihkan (exit 1 = cadangan berubah)');

  backup
    .command('create <dir>')
    .description(
      'mencadangkan direktori data ke <dir> (baru atau kosong), juga selagi layanan berjalan',
    )
    .action(async (dir: string) => {
      const config = loadCheckedConfig();
      const dataDir = resolve(config.dataDir);
      const target = resolve(inputPath(dir));
      if (isWithin(dataDir, target) || isWithin(target, dataDir)) {
        throw new CliError(
          `${target} dan direktori data ${dataDir} saling memuat: simpan cadangan di tempat lain, sebaiknya di disk lain. Tidak ada yang dikerjakan.`,
          EXIT_CODES.usage,
        );
      }
      const existing = await contentsOf(target);
      if (existing !== undefined && existing.length > 0) {
        throw new CliError(
          `${target} tidak kosong: cadangan tidak pernah menimpa apa pun. Pilih direktori baru. Tidak ada yang dikerjakan.`,
          EXIT_CODES.usage,
        );
      }
      const embedded = config.eventStoreConnectionString === undefined;
      if (embedded && !existsSync(join(dataDir, EVENTS_FILE))) {
        throw new CliError(
          `Direktori data ${dataDir} tidak berisi ledger (${EVENTS_FILE}): periksa NETRAL_DATA_DIR. Tidak ada yang dikerjakan.`,
          EXIT_CODES.usage,
        );
      }
      const started = performance.now();
      let manifest: BackupManifest;
      try {
        const copying = bytesBar('mencadangkan');
        const copied = await copyDataDir(dataDir, target, copying);
        copying.stop();
        const checking = bytesBar('memeriksa salinan');
        checking.planned(copied.reduce((sum, file) => sum + file.bytes, 0));
        const described = await describeCopy(target, copied, checking.copied);
        checking.stop();
        manifest = {
          format: BACKUP_FORMAT,
          createdAt: new Date().toISOString(),
          dataDir,
          eventStore: embedded ? 'sqlite' : 'eventstoredb',
          ...described,
        };
        await writeManifest(target, manifest);
      } catch (error) {
        // Nothing half-made is left to be mistaken for a backup; the data directory was only read.
        if (existing === undefined) {
          await rm(target, { recursive: true, force: true });
        } else {
          for (const name of await readdir(target)) {
            await rm(join(target, name), { recursive: true, force: true });
          }
        }
        throw new CliError(
          `Pencadangan gagal: ${error instanceof Error ? error.message : String(error)}. Salinan yang belum selesai dihapus; direktori data tidak diubah.`,
          EXIT_CODES.crashed,
        );
      }
      const bytes = manifest.files.reduce((sum, entry) => sum + entry.bytes, 0);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `Cadangan di ${target}: ${manifest.files.length} berkas, ${megabytes(bytes)}, ${ledgerLine(manifest)}; ${seconds.toFixed(1)} s.`,
      );
      if (!embedded) {
        console.log(
          'Event ada di EventStoreDB (EVENTSTORE_CONNECTION_STRING): cadangkan dengan alat EventStoreDB sendiri; cadangan ini memuat berkas lokal layanan saja.',
        );
      }
      for (const key of keysOutside(config, dataDir)) {
        console.log(
          `Tidak termasuk, di luar direktori data: ${key}. Cadangkan berkas itu sendiri.`,
        );
      }
      console.log(
        `Berisi hash sandi dan kunci: simpan di tempat yang terkunci. Periksa kapan saja: npm run cli -- backup verify ${target}`,
      );
    });

  backup
    .command('verify <dir>')
    .description(`memeriksa cadangan terhadap ${MANIFEST_FILE} (exit 0 = utuh, 1 = berubah)`)
    .action(async (dir: string) => {
      const target = resolve(inputPath(dir));
      const manifest = await checkedBackup(target);
      console.log(
        `Cadangan ${target} utuh: ${manifest.files.length} berkas cocok dengan manifest (dibuat ${manifest.createdAt}), ${ledgerLine(manifest)}.`,
      );
    });

  backup
    .command('restore <dir>')
    .description(
      'memulihkan cadangan yang utuh ke direktori data (NETRAL_DATA_DIR) yang kosong; layanan dihentikan dulu',
    )
    .action(async (dir: string) => {
      const config = loadCheckedConfig();
      const dataDir = resolve(config.dataDir);
      const source = resolve(inputPath(dir));
      const manifest = await checkedBackup(source);
      const embedded = config.eventStoreConnectionString === undefined;
      if ((manifest.eventStore === 'sqlite') !== embedded) {
        throw new CliError(
          `Cadangan ini dari layanan dengan ${manifest.eventStore === 'sqlite' ? 'penyimpanan SQLite bawaan' : 'EventStoreDB'}, konfigurasi ini memakai ${embedded ? 'SQLite bawaan' : 'EventStoreDB'}: samakan EVENTSTORE_CONNECTION_STRING dulu. Tidak ada yang dikerjakan.`,
          EXIT_CODES.usage,
        );
      }
      const lock = DataDirLock.tryAcquire(dataDir);
      if (!lock) {
        throw new CliError(
          `${dataDirBusy(dataDir, 'Hentikan layanan lebih dulu.')} Tidak ada yang dikerjakan.`,
          EXIT_CODES.busy,
        );
      }
      try {
        const present = (await contentsOf(dataDir)) ?? [];
        if (present.length > 0) {
          throw new CliError(
            `Direktori data ${dataDir} tidak kosong (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): pemulihan tidak pernah menimpa ledger. Pindahkan isinya dulu (mis. mv data data.lama) atau arahkan NETRAL_DATA_DIR ke direktori baru. Tidak ada yang dikerjakan.`,
            EXIT_CODES.usage,
          );
        }
        const bar = bytesBar('memulihkan');
        bar.planned(manifest.files.reduce((sum, entry) => sum + entry.bytes, 0));
        await restoreFiles(source, manifest, dataDir, bar.copied);
        bar.stop();
      } finally {
        lock.release();
      }
      console.log(
        `Dipulihkan ke ${dataDir}: ${manifest.files.length} berkas, ${ledgerLine(manifest)} (cadangan ${manifest.createdAt}). Jalankan layanan: tampilan baca dan log transparansi menyusul sendiri.`,
      );
    });
};
