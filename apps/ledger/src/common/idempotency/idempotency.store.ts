import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import Database from 'better-sqlite3';
import { createHmac, type Hmac, hkdfSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jwtSecret } from '../../identity/auth.service';
import { privateSqliteFile } from '../private-file';

export type IdempotencyRecord =
  | { state: 'completed'; requestHash: string; status: number | null; response: string }
  | { state: 'in_progress'; requestHash: string; startedAt: number };

/** The first answers to keyed requests, in the data directory. */
export const IDEMPOTENCY_FILE = 'idempotency.sqlite';

/**
 * Remembers, per caller and Idempotency-Key, the request's hash and its first response. Local mutable state
 * (like credentials), in its own SQLite file; the events themselves also carry the key in their metadata.
 */
@Injectable()
export class IdempotencyStore implements OnApplicationShutdown {
  private readonly db: Database.Database;
  private readonly stmt: {
    get: Database.Statement<
      [string, string],
      { request_hash: string; status: number | null; response: string | null; created: number }
    >;
    claim: Database.Statement<[string, string, string, number]>;
    complete: Database.Statement<[number, string, string, string]>;
    release: Database.Statement<[string, string]>;
  };

  /** Request fingerprints are keyed: a body can hold a new user's password, and a plain SHA-256 of it
   * would let whoever reads this file test guesses offline, without scrypt's cost. */
  private readonly fingerprintKey: Buffer;

  constructor(@Inject(AppConfig) config: AppConfig) {
    mkdirSync(config.dataDir, { recursive: true });
    this.fingerprintKey = Buffer.from(
      hkdfSync('sha256', jwtSecret(config), '', 'netral idempotency request fingerprint', 32),
    );
    this.db = new Database(privateSqliteFile(join(config.dataDir, IDEMPOTENCY_FILE)));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotent_requests (
      scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
      response TEXT, created INTEGER NOT NULL,
      PRIMARY KEY (scope, key))`);
    const columns = this.db.pragma('table_info(idempotent_requests)') as { name: string }[];
    if (!columns.some((c) => c.name === 'status')) {
      // Added when replays began to carry the first answer's status (rows from before replay the route's).
      this.db.exec('ALTER TABLE idempotent_requests ADD COLUMN status INTEGER');
    }
    this.stmt = {
      get: this.db.prepare(
        'SELECT request_hash, status, response, created FROM idempotent_requests WHERE scope = ? AND key = ?',
      ),
      claim: this.db.prepare(
        'INSERT OR IGNORE INTO idempotent_requests (scope, key, request_hash, created) VALUES (?, ?, ?, ?)',
      ),
      complete: this.db.prepare(
        'UPDATE idempotent_requests SET status = ?, response = ? WHERE scope = ? AND key = ?',
      ),
      release: this.db.prepare(
        'DELETE FROM idempotent_requests WHERE scope = ? AND key = ? AND response IS NULL',
      ),
    };
  }

  /** A keyed hash (HMAC-SHA-256) to fingerprint one request with. */
  fingerprint(): Hmac {
    return createHmac('sha256', this.fingerprintKey);
  }

  /** Atomically claims the key; returns the existing record when it was already claimed. */
  claim(scope: string, key: string, requestHash: string, now: number): IdempotencyRecord | null {
    if (this.stmt.claim.run(scope, key, requestHash, now).changes === 1) {
      return null;
    }
    const row = this.stmt.get.get(scope, key);
    if (!row) {
      return null;
    }
    return row.response === null
      ? { state: 'in_progress', requestHash: row.request_hash, startedAt: row.created }
      : {
          state: 'completed',
          requestHash: row.request_hash,
          status: row.status,
          response: row.response,
        };
  }

  /** Keeps the first answer: its status and its JSON body. */
  complete(scope: string, key: string, status: number, response: string): void {
    this.stmt.complete.run(status, response, scope, key);
  }

  /** Forgets a claim whose request failed: nothing was written, so the key may be used again. */
  release(scope: string, key: string): void {
    this.stmt.release.run(scope, key);
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}
