import {
  type Checkpoint,
  leafHash,
  parseVerifierKey,
  readLines,
  type ParsedVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
} from '@netral/transparency-log';
import type { Command } from 'commander';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { AuditLog, checkStoreAgainstLog } from '../../../ledger/src/audit/audit-log.service';
import { withLedger } from '../app-context';
import { CliError } from '../cli-error';
import { progress } from '../progress';

/** Exit codes an auditor can script against. */
export const EXIT = { ok: 0, usage: 2, failed: 4 } as const;

const readText = (file: string, what: string): string => {
  if (!existsSync(file)) {
    throw new CliError(`${what} tidak ditemukan: ${file}`, EXIT.usage);
  }
  return readFileSync(file, 'utf8');
};

const loadKey = (file: string): ParsedVerifierKey => {
  try {
    return parseVerifierKey(readText(file, 'Berkas kunci'));
  } catch (error) {
    if (error instanceof CliError) {
      throw error;
    }
    throw new CliError(`Kunci verifikasi tidak sah (${(error as Error).message}).`, EXIT.usage);
  }
};

const loadCheckpoint = (file: string, key: ParsedVerifierKey): Checkpoint => {
  const check = verifyCheckpoint(readText(file, 'Checkpoint'), key);
  if (!check.ok) {
    throw new CliError(`GAGAL: checkpoint ${file} tidak sah: ${check.reason}`, EXIT.failed);
  }
  return check.checkpoint;
};

const lines = (file: string) => readLines(createReadStream(file, { highWaterMark: 1 << 20 }));

const fromBase64List = (value: unknown, field: string): Buffer[] => {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new CliError(`Bukti tidak sah: ${field} harus daftar base64.`, EXIT.usage);
  }
  return (value as string[]).map((v) => Buffer.from(v, 'base64'));
};

export const registerAuditCommands = (program: Command): void => {
  const audit = program
    .command('audit')
    .description('verifikasi log transparansi (bisa tanpa server)');

  audit
    .command('verify')
    .description(
      'menghitung ulang akar Merkle dari ekspor dan mencocokkannya dengan checkpoint bertanda tangan',
    )
    .requiredOption('--export <file>', 'ekspor NDJSON (GET /api/v1/audit/export)')
    .requiredOption('--checkpoint <file>', 'checkpoint (GET /api/v1/audit/checkpoint)')
    .requiredOption('--key <file>', 'kunci verifikasi (GET /api/v1/audit/public-key)')
    .option(
      '--reference <file>',
      'ekspor lama yang diarsipkan, untuk menunjuk baris pertama yang berubah',
    )
    .action(
      async (options: { export: string; checkpoint: string; key: string; reference?: string }) => {
        const key = loadKey(options.key);
        const checkpoint = loadCheckpoint(options.checkpoint, key);
        readText(options.export, 'Ekspor');
        const bar = progress('memverifikasi', checkpoint.treeSize);
        let reported = 0;
        const result = await verifyExport(lines(options.export), {
          checkpoint,
          ...(options.reference ? { reference: lines(options.reference) } : {}),
          onProgress: (done) => {
            bar.increment(done - reported);
            reported = done;
          },
        });
        bar.stop();
        if (!result.ok) {
          console.error(
            `GAGAL: ${result.lines} baris diperiksa terhadap checkpoint ${checkpoint.origin} @ ${checkpoint.treeSize}.`,
          );
          for (const problem of result.problems) {
            console.error(`  - ${problem}`);
          }
          if (result.firstBadLine) {
            console.error(`Daun pertama yang terdampak: indeks ${result.firstBadLine.index}`);
          }
          throw new CliError('Riwayat TIDAK cocok dengan checkpoint.', EXIT.failed);
        }
        console.log(
          `OK: ${checkpoint.treeSize} event pertama dari ${result.lines} baris ekspor cocok dengan checkpoint bertanda tangan ` +
            `${checkpoint.origin} (akar ${result.rootAtCheckpoint}).`,
        );
      },
    );

  audit
    .command('consistency <old> <new>')
    .description(
      'memeriksa bahwa checkpoint baru memperpanjang checkpoint lama tanpa mengubah riwayatnya',
    )
    .requiredOption('--proof <file>', 'bukti (GET /api/v1/audit/proofs/consistency?from=&to=)')
    .requiredOption('--key <file>', 'kunci verifikasi')
    .action((oldFile: string, newFile: string, options: { proof: string; key: string }) => {
      const key = loadKey(options.key);
      const older = loadCheckpoint(oldFile, key);
      const newer = loadCheckpoint(newFile, key);
      const proof = JSON.parse(readText(options.proof, 'Bukti')) as {
        from?: unknown;
        to?: unknown;
        hashes?: unknown;
      };
      if (proof.from !== older.treeSize || proof.to !== newer.treeSize) {
        throw new CliError(
          `Bukti untuk ${String(proof.from)}→${String(proof.to)}, checkpoint ${older.treeSize}→${newer.treeSize}.`,
          EXIT.usage,
        );
      }
      if (
        !verifyConsistency(
          older.treeSize,
          newer.treeSize,
          fromBase64List(proof.hashes, 'hashes'),
          older.rootHash,
          newer.rootHash,
        )
      ) {
        throw new CliError(
          `GAGAL: checkpoint ${newer.treeSize} TIDAK konsisten dengan checkpoint ${older.treeSize}: riwayat diubah.`,
          EXIT.failed,
        );
      }
      console.log(
        `OK: checkpoint ${newer.treeSize} memperpanjang checkpoint ${older.treeSize}; ${older.treeSize} event pertama tidak berubah.`,
      );
    });

  audit
    .command('inclusion')
    .description('memeriksa bahwa satu event (baris ekspor) termasuk dalam checkpoint')
    .requiredOption('--proof <file>', 'bukti (GET /api/v1/audit/proofs/inclusion?index=&treeSize=)')
    .requiredOption('--checkpoint <file>', 'checkpoint')
    .requiredOption('--key <file>', 'kunci verifikasi')
    .option('--leaf <file>', 'berkas berisi baris ekspor event tersebut (byte kanonis)')
    .action((options: { proof: string; checkpoint: string; key: string; leaf?: string }) => {
      const key = loadKey(options.key);
      const checkpoint = loadCheckpoint(options.checkpoint, key);
      const proof = JSON.parse(readText(options.proof, 'Bukti')) as {
        index?: unknown;
        treeSize?: unknown;
        leafHash?: unknown;
        hashes?: unknown;
      };
      if (
        typeof proof.index !== 'number' ||
        proof.treeSize !== checkpoint.treeSize ||
        typeof proof.leafHash !== 'string'
      ) {
        throw new CliError(
          `Bukti tidak cocok dengan checkpoint (treeSize ${String(proof.treeSize)} vs ${checkpoint.treeSize}).`,
          EXIT.usage,
        );
      }
      const leaf = options.leaf
        ? leafHash(Buffer.from(readText(options.leaf, 'Daun').replace(/\r?\n$/, ''), 'utf8'))
        : Buffer.from(proof.leafHash, 'base64');
      if (options.leaf && !leaf.equals(Buffer.from(proof.leafHash, 'base64'))) {
        throw new CliError('GAGAL: isi event tidak sama dengan daun yang dibuktikan.', EXIT.failed);
      }
      if (
        !verifyInclusion(
          proof.index,
          checkpoint.treeSize,
          leaf,
          fromBase64List(proof.hashes, 'hashes'),
          checkpoint.rootHash,
        )
      ) {
        throw new CliError(
          `GAGAL: daun ${proof.index} TIDAK termasuk dalam checkpoint ${checkpoint.treeSize}.`,
          EXIT.failed,
        );
      }
      console.log(
        `OK: daun ${proof.index} termasuk dalam checkpoint ${checkpoint.origin} @ ${checkpoint.treeSize}.`,
      );
    });

  audit
    .command('check')
    .description(
      'di server: membandingkan penyimpanan event dengan log (menunjuk indeks pertama yang diubah)',
    )
    .action(async () => {
      const result = await withLedger(async (app) => {
        const log = app.get(AuditLog);
        const bar = progress('memeriksa', log.log.size);
        let reported = 0;
        const outcome = await checkStoreAgainstLog(log, (done) => {
          bar.increment(done - reported);
          reported = done;
        });
        bar.stop();
        return outcome;
      });
      if (!result.ok) {
        throw new CliError(`GAGAL: daun ${result.firstBadIndex}: ${result.reason}.`, EXIT.failed);
      }
      console.log(`OK: ${result.leaves} event di penyimpanan sama dengan yang tercatat di log.`);
    });
};
