import { loadConfig } from '@netral/config';
import {
  type Checkpoint,
  compareStoreWithLog,
  type ExportProblem,
  type ExportVerification,
  leafHash,
  loadCheckpointKey,
  parseVerifierKey,
  type ParsedVerifierKey,
  readLines,
  TRANSPARENCY_LOG_FILE,
  TransparencyLog,
  verifyCheckpoint,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
} from '@netral/transparency-log';
import { type Command, CommanderError } from 'commander';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openEventStore } from '../../../ledger/src/infrastructure/event-store.module';
import { CliError } from '../cli-error';
import { progress } from '../progress';

/** Exit codes an auditor can script against. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const usage = (message: string): CliError => new CliError(message, EXIT.usage);
const failed = (message: string): CliError => new CliError(`GAGAL: ${message}`, EXIT.failed);

const readText = (file: string, what: string): string => {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw usage(`${what} tidak ditemukan: ${file}`);
  }
  return readFileSync(file, 'utf8');
};

const loadKey = (file: string): ParsedVerifierKey => {
  const text = readText(file, 'Berkas kunci');
  try {
    return parseVerifierKey(text);
  } catch (error) {
    throw usage(
      `Kunci verifikasi di ${file} tidak sah (${(error as Error).message}). Ambil dari GET /api/v1/audit/public-key.`,
    );
  }
};

const loadCheckpoint = (file: string, key: ParsedVerifierKey): Checkpoint => {
  const check = verifyCheckpoint(readText(file, 'Checkpoint'), key);
  if (!check.ok) {
    throw failed(`checkpoint ${file} tidak sah: ${check.reason}.`);
  }
  return check.checkpoint;
};

const readJson = (file: string, what: string): Record<string, unknown> => {
  const text = readText(file, what);
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('bukan objek JSON');
    }
    return value as Record<string, unknown>;
  } catch (error) {
    throw usage(`${what} ${file} bukan JSON yang sah (${(error as Error).message}).`);
  }
};

const hashList = (value: unknown, file: string): Buffer[] => {
  if (
    !Array.isArray(value) ||
    value.some((v) => typeof v !== 'string' || Buffer.from(v, 'base64').toString('base64') !== v)
  ) {
    throw usage(`Bukti ${file}: "hashes" harus daftar hash base64.`);
  }
  return (value as string[]).map((v) => Buffer.from(v, 'base64'));
};

const exportLines = (file: string) => readLines(createReadStream(file, { highWaterMark: 1 << 20 }));

const LINE_REASONS: Record<ExportProblem['kind'], (p: ExportProblem) => string> = {
  EMPTY: () => 'baris kosong',
  NOT_JSON: () => 'bukan JSON yang sah',
  NOT_CANONICAL: () => 'bukan JSON kanonis RFC 8785 (byte-nya bukan yang di-hash)',
  WRONG_VERSION: (p) => `versi format daun ${JSON.stringify(p.found)} tidak dikenal (harus 1)`,
  WRONG_INDEX: (p) =>
    `indeksnya ${JSON.stringify(p.found)}, seharusnya ${p.index} (ada baris yang hilang, ditambahkan, atau dipindah)`,
  DIFFERS_FROM_REFERENCE: () => 'berbeda dari ekspor arsip (--reference)',
  MISSING_FROM_EXPORT: () => 'ekspor arsip lebih panjang: ada event yang dihapus',
};

/** Checkpoints from --checkpoint (repeatable) and every file of --checkpoints-dir, all verified. */
const loadCheckpoints = (
  files: string[],
  dir: string | undefined,
  key: ParsedVerifierKey,
): Checkpoint[] => {
  const all = [...files];
  if (dir) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw usage(`Folder checkpoint tidak ditemukan: ${dir}`);
    }
    all.push(
      ...readdirSync(dir)
        .filter((name) => !name.startsWith('.'))
        .map((name) => join(dir, name))
        .filter((path) => statSync(path).isFile()),
    );
  }
  if (all.length === 0) {
    throw usage('Berikan --checkpoint FILE (boleh berulang) atau --checkpoints-dir FOLDER.');
  }
  const bySize = new Map<number, Checkpoint>();
  for (const file of all) {
    const checkpoint = loadCheckpoint(file, key);
    const same = bySize.get(checkpoint.treeSize);
    if (same && !same.rootHash.equals(checkpoint.rootHash)) {
      throw failed(
        `dua checkpoint bertanda tangan sah berukuran ${checkpoint.treeSize} memiliki akar berbeda: log bercabang (fork). Simpan keduanya sebagai bukti.`,
      );
    }
    bySize.set(checkpoint.treeSize, checkpoint);
  }
  return [...bySize.values()].sort((a, b) => a.treeSize - b.treeSize);
};

const reportFailure = (result: ExportVerification): string[] => {
  const out: string[] = [];
  const failing = result.checkpoints.find((c) => !c.ok);
  if (failing?.missingLines !== undefined) {
    out.push(
      `  - checkpoint ${failing.treeSize}: ekspor hanya berisi ${result.lines} baris, ${failing.missingLines} event yang sudah ditandatangani hilang.`,
    );
  } else if (failing) {
    out.push(
      `  - checkpoint ${failing.treeSize} (yang terkecil yang gagal): akar Merkle dari ${failing.treeSize} baris pertama tidak sama dengan akar yang ditandatangani: riwayat diubah.`,
    );
  }
  const bad = result.firstBadLine;
  if (bad) {
    out.push(`  - baris ${bad.index + 1} (daun ${bad.index}): ${LINE_REASONS[bad.kind](bad)}.`);
    out.push(`Daun pertama yang terdampak: indeks ${bad.index}`);
  } else if (result.suspectRange) {
    const { from, to } = result.suspectRange;
    out.push(
      `Perubahan pertama ada di antara baris ${from + 1} dan ${to} (daun ${from}–${to - 1}). ` +
        'Berikan ekspor lama (--reference) atau lebih banyak checkpoint (--checkpoints-dir) untuk menunjuk barisnya.',
    );
  }
  return out;
};

/** Commander's own usage errors (missing option, unknown flag) exit 2 like ours; help still exits 0. */
const usageExit = (error: CommanderError): never => {
  throw error.exitCode === 0 ? error : new CommanderError(EXIT.usage, error.code, error.message);
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export const registerAuditCommands = (program: Command): void => {
  const audit = program
    .command('audit')
    .description(
      'verifikasi log transparansi tanpa server (exit 0 = terverifikasi, 1 = gagal, 2 = masukan tidak bisa dipakai)',
    )
    .exitOverride(usageExit);

  audit
    .command('verify')
    .description(
      'menghitung ulang akar Merkle dari ekspor dan mencocokkannya dengan checkpoint bertanda tangan',
    )
    .requiredOption('--export <file>', 'ekspor NDJSON (GET /api/v1/audit/export)')
    .option(
      '--checkpoint <file>',
      'checkpoint (GET /api/v1/audit/checkpoint); boleh berulang',
      collect,
      [],
    )
    .option('--checkpoints-dir <dir>', 'folder berisi checkpoint yang diarsipkan (semua diperiksa)')
    .requiredOption('--key <file>', 'kunci verifikasi (GET /api/v1/audit/public-key)')
    .option(
      '--reference <file>',
      'ekspor lama yang diarsipkan, untuk menunjuk baris pertama yang berubah',
    )
    .action(
      async (options: {
        export: string;
        checkpoint: string[];
        checkpointsDir?: string;
        key: string;
        reference?: string;
      }) => {
        const key = loadKey(options.key);
        const checkpoints = loadCheckpoints(options.checkpoint, options.checkpointsDir, key);
        readText(options.export, 'Ekspor');
        if (options.reference) {
          readText(options.reference, 'Ekspor arsip');
        }
        const largest = checkpoints[checkpoints.length - 1].treeSize;
        const run = async (label: string, checkLines: boolean) => {
          const bar = progress(label, largest);
          let reported = 0;
          const result = await verifyExport(exportLines(options.export), {
            checkpoints,
            checkLines,
            ...(options.reference ? { reference: exportLines(options.reference) } : {}),
            onProgress: (done) => {
              if (done > largest) {
                bar.setTotal(done);
              }
              bar.increment(done - reported);
              reported = done;
            },
          });
          bar.stop();
          return result;
        };
        // A matching root proves every covered byte, so hash first; parse each line only to explain a failure.
        let result = await run('memverifikasi', false);
        if (!result.ok) {
          result = await run('mencari baris pertama yang salah', true);
        }
        if (!result.ok) {
          console.error(
            `Ekspor ${options.export} (${result.lines} baris) diperiksa terhadap ${checkpoints.length} checkpoint ${checkpoints[0].origin}.`,
          );
          for (const line of reportFailure(result)) {
            console.error(line);
          }
          throw failed('riwayat dalam ekspor TIDAK cocok dengan checkpoint bertanda tangan.');
        }
        const sizes = checkpoints.map((c) => c.treeSize).join(', ');
        console.log(
          `OK: ${largest} event pertama dari ${result.lines} baris ekspor persis sama dengan yang ditandatangani ${checkpoints[0].origin} ` +
            `(checkpoint ${sizes}; akar ${result.rootAtCheckpoint}).`,
        );
        if (result.lines > largest) {
          console.log(
            `Catatan: ${result.lines - largest} baris terakhir belum tercakup checkpoint mana pun; periksa lagi dengan checkpoint yang lebih baru.`,
          );
        }
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
      const proof = readJson(options.proof, 'Bukti');
      if (older.treeSize > newer.treeSize) {
        throw usage(
          `Checkpoint lama (${older.treeSize}) lebih besar dari yang baru (${newer.treeSize}): tukar urutannya.`,
        );
      }
      if (proof.from !== older.treeSize || proof.to !== newer.treeSize) {
        throw usage(
          `Bukti untuk ${String(proof.from)}→${String(proof.to)}, checkpoint ${older.treeSize}→${newer.treeSize}: ambil ?from=${older.treeSize}&to=${newer.treeSize}.`,
        );
      }
      const hashes = hashList(proof.hashes, options.proof);
      if (
        !verifyConsistency(older.treeSize, newer.treeSize, hashes, older.rootHash, newer.rootHash)
      ) {
        throw failed(
          `checkpoint ${newer.treeSize} TIDAK konsisten dengan checkpoint ${older.treeSize}: ${older.treeSize} event pertama telah diubah, dihapus, atau disusun ulang.`,
        );
      }
      console.log(
        `OK: checkpoint ${newer.treeSize} memperpanjang checkpoint ${older.treeSize}; ${older.treeSize} event pertama tidak berubah.`,
      );
    });

  audit
    .command('inclusion')
    .description('memeriksa bahwa satu event (baris ekspor) termasuk dalam checkpoint')
    .requiredOption('--checkpoint <file>', 'checkpoint')
    .requiredOption('--proof <file>', 'bukti (GET /api/v1/audit/proofs/inclusion?index=&treeSize=)')
    .requiredOption('--key <file>', 'kunci verifikasi')
    .option('--leaf <file>', 'berkas berisi baris ekspor event tersebut (byte kanonis)')
    .option('--export <file>', 'ekspor NDJSON; baris ke---index diambil darinya')
    .option('--index <n>', 'indeks daun (baris ekspor, mulai 0)')
    .action(
      async (options: {
        checkpoint: string;
        proof: string;
        key: string;
        leaf?: string;
        export?: string;
        index?: string;
      }) => {
        const key = loadKey(options.key);
        const checkpoint = loadCheckpoint(options.checkpoint, key);
        const proof = readJson(options.proof, 'Bukti');
        if (
          typeof proof.index !== 'number' ||
          !Number.isSafeInteger(proof.index) ||
          typeof proof.treeSize !== 'number' ||
          typeof proof.leafHash !== 'string'
        ) {
          throw usage(`Bukti ${options.proof} harus berisi index, treeSize, leafHash dan hashes.`);
        }
        if (proof.treeSize !== checkpoint.treeSize) {
          throw usage(
            `Bukti untuk pohon berukuran ${proof.treeSize}, checkpoint berukuran ${checkpoint.treeSize}: ambil ?treeSize=${checkpoint.treeSize}.`,
          );
        }
        if (options.index !== undefined && Number(options.index) !== proof.index) {
          throw usage(`Bukti untuk daun ${proof.index}, bukan --index ${options.index}.`);
        }
        if (options.leaf && options.export) {
          throw usage('Pilih salah satu: --leaf atau --export.');
        }
        let leaf: Buffer | undefined;
        if (options.leaf) {
          leaf = Buffer.from(readText(options.leaf, 'Daun').replace(/\r?\n$/, ''), 'utf8');
        } else if (options.export) {
          if (options.index === undefined) {
            throw usage('--export membutuhkan --index.');
          }
          readText(options.export, 'Ekspor');
          leaf = await lineAt(options.export, proof.index);
          if (!leaf) {
            throw usage(`Ekspor ${options.export} tidak memiliki baris untuk daun ${proof.index}.`);
          }
        }
        const claimed = Buffer.from(proof.leafHash, 'base64');
        const hash = leaf ? leafHash(leaf) : claimed;
        if (leaf && !hash.equals(claimed)) {
          throw failed(
            `isi event (daun ${proof.index}) tidak sama dengan daun yang dibuktikan: event itu diubah.`,
          );
        }
        if (
          !verifyInclusion(
            proof.index,
            checkpoint.treeSize,
            hash,
            hashList(proof.hashes, options.proof),
            checkpoint.rootHash,
          )
        ) {
          throw failed(
            `daun ${proof.index} TIDAK termasuk dalam checkpoint ${checkpoint.treeSize}.`,
          );
        }
        console.log(
          `OK: daun ${proof.index} termasuk dalam checkpoint ${checkpoint.origin} @ ${checkpoint.treeSize}` +
            (leaf
              ? ', dan isinya persis sama.'
              : ' (isi event tidak diperiksa: berikan --leaf atau --export).'),
        );
      },
    );

  audit
    .command('check')
    .description(
      'di mesin server (tanpa menjalankan server): membandingkan penyimpanan event dengan log, menunjuk daun pertama yang diubah',
    )
    .action(async () => {
      const config = loadConfig(process.env);
      const file = join(config.dataDir, TRANSPARENCY_LOG_FILE);
      if (!existsSync(file)) {
        throw usage(`Tidak ada log transparansi di ${file} (NETRAL_DATA_DIR).`);
      }
      const key = loadCheckpointKey(config);
      const log = new TransparencyLog(file, {
        origin: config.checkpoint.origin,
        keyName: key.keyName,
        privateKey: key.privateKey,
      });
      const store = openEventStore(config);
      try {
        const bar = progress('memeriksa', log.size);
        let reported = 0;
        const result = await compareStoreWithLog(store, log, (done) => {
          bar.increment(done - reported);
          reported = done;
        });
        bar.stop();
        if (!result.ok) {
          throw failed(
            `daun ${result.firstBadIndex}: penyimpanan event tidak lagi sama dengan yang tercatat di log (${result.reason}).`,
          );
        }
        console.log(`OK: ${result.leaves} event di penyimpanan sama dengan yang tercatat di log.`);
      } finally {
        log.close();
        await store.close();
      }
    });
};

/** Line `index` of an export, reading no further than it. */
const lineAt = async (file: string, index: number): Promise<Buffer | undefined> => {
  let seen = 0;
  for await (const batch of exportLines(file)) {
    if (seen + batch.length > index) {
      const line = batch[index - seen];
      return line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
    }
    seen += batch.length;
  }
  return undefined;
};
