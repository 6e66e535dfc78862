import { Inject, Injectable, Module } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What an official may attach: a scanned paper (PDF or photo), at most 10 MB. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

const KINDS: { mediaType: string; magic: number[] }[] = [
  { mediaType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mediaType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

const SHA256 = /^[0-9a-f]{64}$/;

/** Why an upload cannot be kept, in words for the form (Bahasa Indonesia). */
export const documentProblem = (bytes: Buffer): string | undefined => {
  if (bytes.length === 0) {
    return 'Berkas kosong.';
  }
  if (bytes.length > DOCUMENT_MAX_BYTES) {
    return 'Berkas lebih dari 10 MB.';
  }
  return mediaTypeOf(bytes) ? undefined : 'Berkas harus PDF, JPG, atau PNG.';
};

export const mediaTypeOf = (bytes: Buffer): string | undefined =>
  KINDS.find((k) => k.magic.every((b, i) => bytes[i] === b))?.mediaType;

/**
 * Scanned pledges and case evidence, kept as uploaded and addressed by their SHA-256 (the hash the ledger's
 * event records): `documents/<2 hex>/<sha256>` in the data directory. Write-once: the same bytes are stored
 * once, and a stored file is never replaced, so the event's hash always names exactly the kept file.
 */
@Injectable()
export class DocumentStore {
  private readonly dir: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.dir = join(config.dataDir, 'documents');
  }

  private path(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Keeps the bytes (durably, before the event that names them is written) and returns their SHA-256. */
  put(bytes: Buffer): { sha256: string; mediaType: string; size: number } {
    const problem = documentProblem(bytes);
    if (problem) {
      throw new Error(problem);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = this.path(sha256);
    if (!existsSync(file)) {
      mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, bytes, { mode: 0o640, flush: true });
      renameSync(temp, file);
    }
    return { sha256, mediaType: mediaTypeOf(bytes)!, size: bytes.length };
  }

  /** The kept bytes, if any, re-checked against their name (a file altered on disk is not served). */
  get(sha256: string): { bytes: Buffer; mediaType: string } | undefined {
    if (!SHA256.test(sha256) || !existsSync(this.path(sha256))) {
      return undefined;
    }
    const bytes = readFileSync(this.path(sha256));
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      return undefined;
    }
    return { bytes, mediaType: mediaTypeOf(bytes) ?? 'application/octet-stream' };
  }
}

@Module({ providers: [DocumentStore], exports: [DocumentStore] })
export class DocumentsModule {}
