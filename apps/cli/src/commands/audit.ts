import { loadCheckedConfig } from '../../../ledger/src/boot';
import {
  type Checkpoint,
  compareStoreWithLog,
  type ExportProblem,
  type ExportVerification,
  LEAF_VERSION,
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
import { basename, join } from 'node:path';
import { openEventStore } from '../../../ledger/src/infrastructure/event-store.module';
import { storeUnavailable } from '../app-context';
import { fetchArchive } from '../audit-archive';
import { CliError, EXIT_CODES } from '../cli-error';
import { checkFile, errorCode, inputPath, readingFails } from '../input-file';
import { progress } from '../progress';
import { readPassword } from '../read-password';

const usage = (message: string): CliError => new CliError(message, EXIT_CODES.usage);
const failed = (message: string): CliError => new CliError(`GAGAL: ${message}`, EXIT_CODES.failed);

const readText = (file: string, what: string): string => {
  checkFile(file, what);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw usage(`${what} ${file} tidak bisa dibaca (${errorCode(error)}).`);
  }
};

const loadKey = (file: string): ParsedVerifierKey => {
  const text = readText(file, 'Berkas kunci');
  try {
    return parseVerifierKey(text);
  } catch (error) {
    const hint = text.includes('-----BEGIN')
      ? ' Berkas ini PEM (kunci privat penanda tangan?); --key butuh kunci verifikasi publik satu baris <nama>+<id hex>+<base64>.'
      : '';
    throw usage(
      `Kunci verifikasi di ${file} tidak sah (${(error as Error).message}).${hint} Ambil dari GET /api/v1/audit/public-key.`,
    );
  }
};

/**
 * A note that is not a checkpoint at all (truncated, re-encoded, an error page) is unusable input (2): nothing
 * was checked. A well-formed checkpoint whose signature does not verify with the key is a verdict (1): it is
 * not a checkpoint the ledger's key signed.
 */
const loadCheckpoint = (file: string, key: ParsedVerifierKey): Checkpoint => {
  const check = verifyCheckpoint(readText(file, 'Checkpoint'), key);
  if (!check.ok) {
    if (check.problem === 'MALFORMED') {
      throw usage(
        `Checkpoint ${file} bukan signed note C2SP (${check.reason}). Simpan respons GET /api/v1/audit/checkpoint apa adanya (curl -fsS -o), tanpa diedit.`,
      );
    }
    throw failed(
      `checkpoint ${file}: tanda tangannya tidak terverifikasi dengan kunci ${key.name} (${check.reason}). Checkpoint ini tidak terbukti ditandatangani ledger; periksa juga bahwa --key adalah kunci yang diumumkan resmi.`,
    );
  }
  return check.checkpoint;
};

/** Where JSON.parse stopped, as line and column of the file (its message only gives a character offset). */
const jsonErrorAt = (text: string, error: Error): string => {
  const at = /position (\d+)/.exec(error.message);
  if (!at) {
    return error.message;
  }
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `baris ${line}, kolom ${before.length - before.lastIndexOf('\n')}: ${error.message}`;
};

const readJson = (file: string, what: string): Record<string, unknown> => {
  const text = readText(file, what);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw usage(`${what} ${file} bukan JSON yang sah (${jsonErrorAt(text, error as Error)}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(`${what} ${file} harus satu objek JSON {…}, bukan ${JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
};

/** A whole number field of a proof, or a usage error naming the file, the field and what was found. */
const proofNumber = (proof: Record<string, unknown>, field: string, file: string): number => {
  const value = proof[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw usage(
      `Bukti ${file}: "${field}" harus bilangan bulat ≥ 0, ditemukan ${value === undefined ? 'tidak ada' : JSON.stringify(value)}.`,
    );
  }
  return value;
};

const hashList = (value: unknown, file: string): Buffer[] => {
  if (!Array.isArray(value)) {
    throw usage(
      `Bukti ${file}: "hashes" harus daftar hash base64, ditemukan ${JSON.stringify(value) ?? 'tidak ada'}.`,
    );
  }
  return value.map((v: unknown, i) => {
    const hash = typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
    if (!hash || hash.toString('base64') !== v || hash.length !== 32) {
      throw usage(
        `Bukti ${file}: "hashes"[${i}] bukan base64 dari 32 byte SHA-256 (ditemukan ${JSON.stringify(v)}).`,
      );
    }
    return hash;
  });
};

const exportLines = (file: string) => readLines(createReadStream(file, { highWaterMark: 1 << 20 }));

/**
 * An export whose first line is not a leaf at all is not an export (an error body saved by curl without -f,
 * an HTML page, another file): unusable input, nothing to verify. A first line that is a leaf, even a wrong
 * one, is left to the verification, which reports it as a failure.
 */
const checkIsExport = async (file: string, what: string): Promise<void> => {
  checkFile(file, what);
  const first = await lineAt(file, 0);
  if (first === undefined || first.length === 0) {
    throw usage(
      `${what} ${file} kosong: tidak ada baris untuk diverifikasi. Unduh lagi dari GET /api/v1/audit/export.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(first.toString('utf8')) as unknown;
  } catch (error) {
    throw usage(
      `${what} ${file} baris 1 bukan JSON (${(error as Error).message}): ini bukan ekspor NDJSON dari GET /api/v1/audit/export (halaman HTML atau berkas lain?).`,
    );
  }
  const leaf = value as { v?: unknown; index?: unknown } | null;
  if (typeof leaf !== 'object' || leaf === null || !('v' in leaf) || !('index' in leaf)) {
    throw usage(
      `${what} ${file} baris 1 bukan daun log (tidak ada "v" dan "index"; isinya ${first.toString('utf8').slice(0, 120)}${first.length > 120 ? '…' : ''}): kemungkinan respons galat tersimpan sebagai ekspor, mis. 401 tanpa token. Unduh dengan curl -fsS.`,
    );
  }
  // A part of the log (?from=N) is a well-formed export of other leaves, not a wrong one: nothing to
  // verify against a root of the whole log, so no verdict.
  if (typeof leaf.index === 'number' && Number.isSafeInteger(leaf.index) && leaf.index > 0) {
    throw usage(
      `${what} ${file} dimulai dari daun ${leaf.index}, bukan daun 0 (diunduh dengan ?from=${leaf.index}, atau baris-baris pertamanya terhapus): verify menghitung akar dari daun 0, jadi butuh ekspor utuh dari awal. Unduh GET /api/v1/audit/export?to=<ukuran checkpoint> tanpa from; untuk satu event pakai audit inclusion.`,
    );
  }
};

/** What the form check found, worded as what it is: a line that cannot be the leaf the ledger hashed. */
const LINE_REASONS: Record<ExportProblem['kind'], (p: ExportProblem) => string> = {
  EMPTY: () => 'baris kosong',
  NOT_JSON: () => 'bukan objek JSON yang sah',
  NOT_CANONICAL: () =>
    'bukan bentuk kanonis (RFC 8785) dari JSON-nya sendiri, padahal ledger hanya mencatat bentuk kanonis: pengekspor atau suntingan kemudian mengubah byte-nya',
  WRONG_VERSION: (p) =>
    `"v" bernilai ${JSON.stringify(p.found)}, padahal daun ledger selalu ${LEAF_VERSION}`,
  WRONG_INDEX: (p) =>
    `"index" bernilai ${JSON.stringify(p.found)}, padahal daun di baris ini berindeks ${p.index} (ada baris yang hilang, ditambahkan, atau dipindah sebelum atau di baris ini` +
    (p.index === 0 && typeof p.found === 'number'
      ? `; atau ekspor ini diunduh dengan ?from=${p.found}, sedangkan verify butuh ekspor dari daun 0)`
      : ')'),
};

/** What the archived export (--reference) says about the first difference, once it was verified itself. */
interface ReferenceCheck {
  file: string;
  /** The largest checkpoint the reference matches (its first `matches` lines are signed), 0 if none. */
  matches: number;
  lines: number;
}

const range = (from: number, to: number): string =>
  from === to
    ? `baris ${from + 1} (daun ${from})`
    : `baris ${from + 1}–${to + 1} (daun ${from}–${to})`;

/** No checkpoint note is this large (an origin line, a size, a root and a few signatures). */
const CHECKPOINT_MAX_BYTES = 64 * 1024;

/** Checkpoints from --checkpoint (repeatable) and every checkpoint of --checkpoints-dir, all verified. */
const loadCheckpoints = (
  files: string[],
  dir: string | undefined,
  key: ParsedVerifierKey,
): Checkpoint[] => {
  const all = files.map((file) => loadCheckpoint(file, key));
  if (dir) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw usage(`Folder checkpoint tidak ditemukan: ${dir}`);
    }
    const skipped: string[] = [];
    for (const name of readdirSync(dir).filter((n) => !n.startsWith('.'))) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (!stat.isFile()) {
        continue;
      }
      // The archive holds exports, proofs and the key beside the checkpoints: a file that is no signed
      // note at all (or too large to be one) is passed over and named; a note that does not verify is
      // still a failure.
      const note = stat.size <= CHECKPOINT_MAX_BYTES ? readText(path, 'Checkpoint') : undefined;
      const check = note === undefined ? undefined : verifyCheckpoint(note, key);
      if (check === undefined || (!check.ok && check.problem === 'MALFORMED')) {
        skipped.push(name);
        continue;
      }
      all.push(loadCheckpoint(path, key));
    }
    if (skipped.length > 0) {
      console.error(
        `Dilewati di ${dir} (bukan checkpoint): ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ` dan ${skipped.length - 10} lainnya` : ''}.`,
      );
    }
  }
  if (all.length === 0) {
    throw usage(
      dir && files.length === 0
        ? `Folder ${dir} tidak berisi checkpoint (signed note dari GET /api/v1/audit/checkpoint).`
        : 'Berikan --checkpoint FILE (boleh berulang) atau --checkpoints-dir FOLDER.',
    );
  }
  const bySize = new Map<number, Checkpoint>();
  for (const checkpoint of all) {
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

const reportFailure = (result: ExportVerification, reference?: ReferenceCheck): string[] => {
  const out: string[] = [];
  const failing = result.checkpoints.find((c) => !c.ok);
  if (!failing) {
    return out;
  }
  if (failing.missingLines !== undefined) {
    out.push(
      `  - checkpoint ${failing.treeSize}: ekspor hanya berisi ${result.lines} baris; ${failing.missingLines} daun terakhir yang ditandatangani checkpoint ini tidak ada di ekspor.`,
    );
  } else {
    out.push(
      `  - checkpoint ${failing.treeSize} (yang terkecil yang gagal): akar Merkle dari ${failing.treeSize} baris pertama ekspor berbeda dari akar yang ditandatangani.`,
    );
  }
  // Lines before `lower` are proven by a matching checkpoint; the first line that is not the signed leaf lies
  // in [lower, upper] (upper = result.lines: the export ends before a signed leaf).
  let lower = result.suspectRange?.from ?? 0;
  let upper = Math.min(failing.treeSize - 1, result.lines);
  const bad = result.firstBadLine;
  if (bad) {
    out.push(
      `  - pemeriksaan bentuk tiap baris (JSON kanonis, "v": ${LEAF_VERSION}, "index" = nomor baris − 1): baris ${bad.index + 1} adalah yang pertama gagal: ${LINE_REASONS[bad.kind](bad)}. ` +
        'Baris sebelumnya lolos pemeriksaan bentuk, tetapi itu tidak membuktikan isinya utuh (perubahan isi yang tetap kanonis hanya terlihat dari akar Merkle).',
    );
    if (bad.index < failing.treeSize) {
      upper = Math.min(upper, bad.index);
    }
  }
  const diff = result.referenceDifference;
  if (reference) {
    const signedPart =
      reference.matches > 0
        ? `ekspor arsip cocok dengan checkpoint ${reference.matches}, jadi ${reference.matches} baris pertamanya adalah daun bertanda tangan`
        : 'ekspor arsip tidak cocok dengan checkpoint mana pun yang diberikan, jadi ia tidak membuktikan apa-apa';
    if (!diff) {
      out.push(`  - --reference ${reference.file}: sama persis dengan ekspor ini (${signedPart}).`);
    } else if (diff.kind === 'REFERENCE_LONGER') {
      out.push(
        `  - --reference ${reference.file}: ${result.lines} baris pertamanya sama dengan ekspor ini, lalu ekspor ini berhenti sedangkan ekspor arsip berlanjut (${reference.lines} baris; ${signedPart}).`,
      );
    } else {
      out.push(
        `  - --reference ${reference.file}: berbeda dari ekspor ini mulai baris ${diff.index + 1} (${signedPart}).`,
      );
    }
    const same = diff ? diff.index : Math.min(result.lines, reference.lines);
    // Lines the two share within the reference's signed part are proven; a difference inside it is exact.
    lower = Math.max(lower, Math.min(same, reference.matches));
    if (diff && diff.index < reference.matches) {
      lower = upper = Math.min(diff.index, upper);
    }
  }
  if (lower >= upper) {
    out.push(
      upper >= result.lines
        ? `Daun pertama yang tidak ada di ekspor: daun ${upper} (baris ${upper + 1}); baris sebelumnya terbukti sama dengan yang ditandatangani.`
        : `Baris pertama yang tidak sama dengan riwayat bertanda tangan: ${range(upper, upper)}.`,
    );
  } else {
    out.push(
      `Baris pertama yang tidak sama dengan riwayat bertanda tangan ada di ${range(lower, upper)}` +
        (lower > 0 ? `; ${lower} baris pertama terbukti sama.` : '.') +
        ' Berikan ekspor arsip (--reference) atau lebih banyak checkpoint (--checkpoints-dir) untuk mempersempitnya.',
    );
  }
  return out;
};

/** Lines after the largest checkpoint: no signature covers them, so they are reported, never passed over. */
const reportUncovered = (result: ExportVerification, covered: number): string[] => {
  const { lines, firstBadLine } = result.uncovered;
  if (lines === 0) {
    return [];
  }
  const out = [
    `PERINGATAN: ${range(covered, covered + lines - 1)} berada di luar checkpoint terbesar (${covered}): tidak ada tanda tangan yang mencakupnya, jadi isinya TIDAK terverifikasi (hanya bentuknya diperiksa). ` +
      `Verifikasi lagi dengan checkpoint yang lebih baru, atau unduh ekspor dengan ?to=${covered}.`,
  ];
  if (firstBadLine) {
    out.push(
      `PERINGATAN: baris ${firstBadLine.index + 1} (di luar checkpoint) tidak mungkin daun ledger: ${LINE_REASONS[firstBadLine.kind](firstBadLine)}.`,
    );
  }
  return out;
};

/** Commander's own usage errors (missing option, unknown flag) exit 2 like ours; help still exits 0. */
const usageExit = (error: CommanderError): never => {
  throw error.exitCode === 0
    ? error
    : new CommanderError(EXIT_CODES.usage, error.code, error.message);
};

// No default value: commander would print it in the help as "(default: [])".
const collectPaths = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  inputPath(value),
];

/** What `audit verify` is given (and `audit archive` gives it). */
interface VerifyOptions {
  export: string;
  checkpoint?: string[];
  checkpointsDir?: string;
  key: string;
  reference?: string;
}

/** `audit verify`: the export's leaves against every checkpoint given, signatures first. */
const verifyExportCommand = async (options: VerifyOptions): Promise<void> => {
  const key = loadKey(options.key);
  const checkpoints = loadCheckpoints(options.checkpoint ?? [], options.checkpointsDir, key);
  await checkIsExport(options.export, 'Ekspor');
  if (options.reference) {
    await checkIsExport(options.reference, 'Ekspor arsip (--reference)');
  }
  const largest = checkpoints[checkpoints.length - 1].treeSize;
  const run = async (label: string, file: string, checkLines: boolean, reference?: string) => {
    const bar = progress(label, largest);
    try {
      return await verifyExport(exportLines(file), {
        checkpoints,
        checkLines,
        ...(reference ? { reference: exportLines(reference) } : {}),
        onProgress: (done) => {
          if (done > largest) {
            bar.setTotal(done);
          }
          bar.update(done);
        },
      });
    } catch (error) {
      return readingFails(error, reference ? `${file} / ${reference}` : file);
    } finally {
      bar.stop();
    }
  };
  // A matching root proves every covered byte, so hash first; parse each line only to explain a failure.
  let result = await run('memverifikasi', options.export, false, options.reference);
  let reference: ReferenceCheck | undefined;
  if (!result.ok) {
    result = await run('mencari baris pertama yang salah', options.export, true, options.reference);
    if (options.reference) {
      // Neither export is trusted: only the reference's own match with a checkpoint lets a difference
      // between the two say which line is not the signed one.
      const theirs = await run('memverifikasi ekspor arsip', options.reference, false);
      const matches = theirs.checkpoints.filter((c) => c.ok).map((c) => c.treeSize);
      reference = {
        file: options.reference,
        matches: matches.length > 0 ? Math.max(...matches) : 0,
        lines: theirs.lines,
      };
    }
  }
  const uncovered = reportUncovered(result, largest);
  if (!result.ok) {
    console.error(
      `Ekspor ${options.export} (${result.lines} baris) diperiksa terhadap ${checkpoints.length} checkpoint ${checkpoints[0].origin}.`,
    );
    for (const line of [...reportFailure(result, reference), ...uncovered]) {
      console.error(line);
    }
    throw failed(
      `ekspor TIDAK cocok dengan checkpoint ${result.firstFailingCheckpoint} yang ditandatangani.`,
    );
  }
  const sizes = checkpoints.map((c) => c.treeSize).join(', ');
  console.log(
    `OK: ${largest} baris pertama dari ${result.lines} baris ekspor persis sama, byte demi byte (tanpa akhir barisnya, LF atau CRLF) dan berurutan, dengan daun yang ditandatangani ${checkpoints[0].origin} ` +
      `(checkpoint ${sizes}; akar ${result.rootAtCheckpoint}).`,
  );
  const diff = result.referenceDifference;
  if (options.reference && diff?.kind === 'DIFFERS') {
    console.error(
      diff.index < largest
        ? `PERINGATAN: ekspor arsip ${options.reference} berbeda dari ekspor ini mulai baris ${diff.index + 1}. Ekspor ini cocok dengan checkpoint, jadi baris ${diff.index + 1} ekspor ARSIP-lah yang bukan daun ${diff.index} yang ditandatangani (arsip rusak atau diubah, atau bukan ekspor log ini).`
        : `PERINGATAN: ekspor arsip ${options.reference} berbeda dari ekspor ini mulai baris ${diff.index + 1}, di luar checkpoint terbesar (${largest}): tanda tangan tidak bisa menunjukkan mana yang benar, padahal ledger tidak pernah menyajikan dua isi untuk satu daun. Simpan keduanya dan periksa lagi dengan checkpoint yang lebih baru.`,
    );
  }
  for (const line of uncovered) {
    console.error(line);
  }
};

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
    .requiredOption('--export <file>', 'ekspor NDJSON (GET /api/v1/audit/export)', inputPath)
    .option(
      '--checkpoint <file>',
      'checkpoint (GET /api/v1/audit/checkpoint); boleh berulang',
      collectPaths,
    )
    .option(
      '--checkpoints-dir <dir>',
      'folder arsip: setiap checkpoint di dalamnya diperiksa (berkas lain dilewati)',
      inputPath,
    )
    .requiredOption('--key <file>', 'kunci verifikasi (GET /api/v1/audit/public-key)', inputPath)
    .option(
      '--reference <file>',
      'ekspor lama yang diarsipkan, untuk menunjuk baris pertama yang berubah',
      inputPath,
    )
    .action(verifyExportCommand);

  audit
    .command('archive <dir>')
    .description(
      'dari layanan yang berjalan: menandatangani checkpoint, mengunduh checkpoint itu, ekspor sebesar itu dan kunci ke <dir>, lalu memverifikasi ekspor terhadap setiap checkpoint di arsip',
    )
    .requiredOption('--url <url>', 'alamat layanan, mis. http://localhost:3000')
    .requiredOption(
      '--username <name>',
      'akun Bawaslu atau admin (kata sandi ditanyakan, atau dari NETRAL_AUDIT_PASSWORD)',
    )
    .action(async (dir: string, options: { url: string; username: string }) => {
      if (!/^https?:\/\/[^/]/.test(options.url) || !URL.canParse(options.url)) {
        throw usage(`--url ${options.url} bukan alamat http(s), mis. http://localhost:3000.`);
      }
      const folder = inputPath(dir);
      const password = await readPassword(`Kata sandi ${options.username}: `, {
        envVar: 'NETRAL_AUDIT_PASSWORD',
        nothingDone: 'tidak ada yang diunduh.',
      });
      const files = await fetchArchive(
        folder,
        options.url,
        { username: options.username, password },
        (treeSize) => progress('mengunduh ekspor', treeSize),
      );
      console.log(
        `Diarsipkan di ${folder}: ${basename(files.checkpoint)} (${files.treeSize} daun), ${basename(files.export)}, ` +
          (files.keyIsNew
            ? `${basename(files.key)} (baru: bandingkan dengan kunci yang diumumkan resmi).`
            : `${basename(files.key)} sama dengan yang diarsipkan.`),
      );
      await verifyExportCommand({ export: files.export, checkpointsDir: folder, key: files.key });
    });

  audit
    .command('consistency <old> <new>')
    .description(
      'memeriksa bahwa checkpoint baru memperpanjang checkpoint lama tanpa mengubah riwayatnya',
    )
    .option(
      '--proof <file>',
      'bukti (GET /api/v1/audit/proofs/consistency?from=&to=); tidak perlu untuk dua checkpoint berukuran sama',
      inputPath,
    )
    .requiredOption('--key <file>', 'kunci verifikasi', inputPath)
    .action((oldArg: string, newArg: string, options: { proof?: string; key: string }) => {
      const [oldFile, newFile] = [inputPath(oldArg), inputPath(newArg)];
      const key = loadKey(options.key);
      const older = loadCheckpoint(oldFile, key);
      const newer = loadCheckpoint(newFile, key);
      if (older.treeSize > newer.treeSize) {
        throw usage(
          `Checkpoint lama (${older.treeSize}) lebih besar dari yang baru (${newer.treeSize}): tukar urutannya.`,
        );
      }
      if (older.treeSize === newer.treeSize) {
        // Nothing to prove between two trees of one size: they are the same tree or two histories.
        if (!older.rootHash.equals(newer.rootHash)) {
          throw failed(
            `checkpoint ${oldFile} dan ${newFile} sama-sama bertanda tangan sah untuk ${older.treeSize} daun, tetapi root-nya berbeda: ledger menandatangani dua riwayat berbeda untuk ukuran yang sama (riwayatnya ditulis ulang, atau pihak yang berbeda diberi log yang berbeda). Simpan kedua checkpoint: keduanya bukti.`,
          );
        }
        console.log(
          `OK: kedua checkpoint menyatakan log yang sama (${older.treeSize} daun, root sama); tidak ada yang perlu dibuktikan di antara keduanya.`,
        );
        return;
      }
      if (!options.proof) {
        throw usage(
          `Berikan --proof: bukti untuk ${older.treeSize}→${newer.treeSize} dari GET /api/v1/audit/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}.`,
        );
      }
      const proof = readJson(options.proof, 'Bukti');
      const from = proofNumber(proof, 'from', options.proof);
      const to = proofNumber(proof, 'to', options.proof);
      if (from !== older.treeSize || to !== newer.treeSize) {
        throw usage(
          `Bukti ${options.proof} untuk ${from}→${to}, checkpoint ${older.treeSize}→${newer.treeSize}: ambil GET /api/v1/audit/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}.`,
        );
      }
      const hashes = hashList(proof.hashes, options.proof);
      if (
        !verifyConsistency(older.treeSize, newer.treeSize, hashes, older.rootHash, newer.rootHash)
      ) {
        // Both notes are signed; what failed is this proof. A log that only appended always has a proof
        // that passes, so a correct, undamaged proof that fails means the first events were rewritten.
        throw failed(
          `bukti ${options.proof} TIDAK menghubungkan checkpoint ${older.treeSize} dengan checkpoint ${newer.treeSize} (keduanya bertanda tangan sah). ` +
            `Log yang hanya menambah selalu punya bukti yang lolos; bila bukti ini utuh dari GET /api/v1/audit/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}, ` +
            `${older.treeSize} event pertama di checkpoint ${newer.treeSize} bukan lagi yang ada di checkpoint ${older.treeSize}. Unduh buktinya sekali lagi; bila tetap gagal, simpan kedua checkpoint dan bukti itu.`,
        );
      }
      console.log(
        `OK: checkpoint ${newer.treeSize} memperpanjang checkpoint ${older.treeSize}: ${older.treeSize} daun pertamanya persis daun checkpoint ${older.treeSize} (hanya ada penambahan).`,
      );
    });

  audit
    .command('inclusion')
    .description('memeriksa bahwa satu event (baris ekspor) termasuk dalam checkpoint')
    .requiredOption('--checkpoint <file>', 'checkpoint', inputPath)
    .requiredOption(
      '--proof <file>',
      'bukti (GET /api/v1/audit/proofs/inclusion?index=&treeSize=, atau inclusionProof dari verifikasi sertifikat)',
      inputPath,
    )
    .requiredOption('--key <file>', 'kunci verifikasi', inputPath)
    .option('--leaf <file>', 'berkas berisi baris ekspor event tersebut (byte kanonis)', inputPath)
    .option('--export <file>', 'ekspor NDJSON; baris ke---index diambil darinya', inputPath)
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
        if (options.index !== undefined && !/^\d+$/.test(options.index)) {
          throw usage(
            `--index harus bilangan bulat ≥ 0 (nomor baris ekspor − 1), bukan "${options.index}".`,
          );
        }
        const key = loadKey(options.key);
        const checkpoint = loadCheckpoint(options.checkpoint, key);
        const proof = readJson(options.proof, 'Bukti');
        const index = proofNumber(proof, 'index', options.proof);
        const treeSize = proofNumber(proof, 'treeSize', options.proof);
        const claimed =
          typeof proof.leafHash === 'string' ? Buffer.from(proof.leafHash, 'base64') : undefined;
        if (!claimed || claimed.length !== 32 || claimed.toString('base64') !== proof.leafHash) {
          throw usage(
            `Bukti ${options.proof}: "leafHash" harus base64 dari 32 byte SHA-256, ditemukan ${JSON.stringify(proof.leafHash) ?? 'tidak ada'}.`,
          );
        }
        if (treeSize !== checkpoint.treeSize) {
          throw usage(
            `Bukti ${options.proof} untuk pohon berukuran ${treeSize}, checkpoint berukuran ${checkpoint.treeSize}: ambil GET /api/v1/audit/proofs/inclusion?index=${index}&treeSize=${checkpoint.treeSize}.`,
          );
        }
        if (options.index !== undefined && Number(options.index) !== index) {
          throw usage(
            `Bukti ${options.proof} untuk daun ${index}, bukan --index ${options.index}.`,
          );
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
          checkFile(options.export, 'Ekspor');
          leaf = await lineAt(options.export, index);
          if (!leaf) {
            throw usage(
              `Ekspor ${options.export} tidak memiliki baris ${index + 1} untuk daun ${index} (ekspor dari daun 0 diperlukan).`,
            );
          }
        }
        const hashes = hashList(proof.hashes, options.proof);
        const hash = leaf ? leafHash(leaf) : claimed;
        if (leaf && !hash.equals(claimed)) {
          throw failed(
            `hash baris yang diberikan (${options.leaf ? `--leaf ${options.leaf}` : `baris ${index + 1} dari ${options.export}`}) berbeda dari "leafHash" daun ${index} dalam bukti: ` +
              'byte baris itu bukan byte yang dicatat ledger di daun tersebut (diubah, disimpan ulang dengan bentuk lain, atau baris event lain).',
          );
        }
        if (!verifyInclusion(index, checkpoint.treeSize, hash, hashes, checkpoint.rootHash)) {
          throw failed(
            `bukti ${options.proof} TIDAK menghubungkan daun ${index} dengan akar checkpoint ${checkpoint.treeSize}: buktinya salah atau rusak, atau daun itu bukan bagian dari log yang ditandatangani. Unduh buktinya sekali lagi.`,
          );
        }
        console.log(
          `OK: daun ${index} termasuk dalam checkpoint ${checkpoint.origin} @ ${checkpoint.treeSize}` +
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
      const config = loadCheckedConfig(process.env);
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
      // A store that does not answer (EventStoreDB down) is exit 69 with its reason, before or during the
      // comparison: not a verdict on the ledger, and not the tool failing.
      const unavailable = async (when: string, outcome: string): Promise<CliError | undefined> => {
        const health = await store.health();
        return health.status === 'down' ? storeUnavailable(health, when, outcome) : undefined;
      };
      try {
        const before = await unavailable('saat pemeriksaan dimulai', 'Tidak ada yang diperiksa.');
        if (before) {
          throw before;
        }
        const bar = progress('memeriksa', log.size);
        const result = await compareStoreWithLog(store, log, (done) => bar.update(done)).catch(
          async (error: unknown) => {
            bar.stop();
            throw (
              (await unavailable(
                'di tengah pemeriksaan',
                'Pemeriksaan tidak selesai: belum ada kesimpulan.',
              )) ?? error
            );
          },
        );
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
