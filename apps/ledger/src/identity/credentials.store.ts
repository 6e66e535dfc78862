import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { privateSqliteFile } from '../common/private-file';
import type { PasswordHash } from './password';

/** A password's change time (tokens issued before it are void) and whether someone else chose it. */
export interface PasswordState {
  changedAt: number;
  temporary: boolean;
}

/**
 * Password hashes: mutable, so they live in their own SQLite file (`identity.sqlite`), never in events or
 * logs. Who exists and in which role is in the `user-*` streams; this table only answers "is this the
 * password".
 */
@Injectable()
export class CredentialsStore implements OnApplicationShutdown {
  private readonly db: Database.Database;

  constructor(@Inject(AppConfig) config: AppConfig) {
    mkdirSync(config.dataDir, { recursive: true });
    this.db = new Database(privateSqliteFile(join(config.dataDir, 'identity.sqlite')));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS credentials (
      user_id TEXT PRIMARY KEY,
      hash TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS revoked_sessions (
      session_id TEXT PRIMARY KEY,
      until INTEGER NOT NULL
    )`);
    const columns = this.db.prepare('PRAGMA table_info(credentials)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'changed_at')) {
      // Added later: files from before start at 0 (no token is older than an unknown change).
      this.db.exec('ALTER TABLE credentials ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0');
    }
    if (!columns.some((column) => column.name === 'temporary')) {
      // Added later: a password set before was the user's own as far as anyone can tell.
      this.db.exec('ALTER TABLE credentials ADD COLUMN temporary INTEGER NOT NULL DEFAULT 0');
    }
    this.stateStatement = this.db.prepare<[string], { changed_at: number; temporary: number }>(
      'SELECT changed_at, temporary FROM credentials WHERE user_id = ?',
    );
  }

  private readonly stateStatement: Database.Statement<
    [string],
    { changed_at: number; temporary: number }
  >;

  /** When the user's password was last set (epoch milliseconds, wall clock; tokens issued before are void),
   * and whether someone else set it (an administrator or the CLI), so the user must choose their own before
   * doing anything else. One read: it is asked on every request. */
  passwordState(userId: string): PasswordState {
    const row = this.stateStatement.get(userId);
    return row
      ? { changedAt: row.changed_at, temporary: row.temporary === 1 }
      : { changedAt: 0, temporary: false };
  }

  /** Web sessions ended by logout, kept until every token of them has expired (epoch seconds). */
  revokedSessions(nowSeconds: number): Map<string, number> {
    this.db.prepare('DELETE FROM revoked_sessions WHERE until <= ?').run(nowSeconds);
    const rows = this.db.prepare('SELECT session_id, until FROM revoked_sessions').all() as {
      session_id: string;
      until: number;
    }[];
    return new Map(rows.map((row) => [row.session_id, row.until]));
  }

  revokeSession(sessionId: string, untilSeconds: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO revoked_sessions (session_id, until) VALUES (?, ?)')
      .run(sessionId, untilSeconds);
  }

  get(userId: string): PasswordHash | undefined {
    const row = this.db.prepare('SELECT hash FROM credentials WHERE user_id = ?').get(userId) as
      { hash: string } | undefined;
    return row ? (JSON.parse(row.hash) as PasswordHash) : undefined;
  }

  /** `now` is the recorded time (the service clock); the token cut-off uses the wall clock, as tokens do.
   * `temporary`: set by someone other than the user, to be replaced by one of their own. */
  set(userId: string, hash: PasswordHash, now: Date, temporary: boolean): void {
    this.db
      .prepare(
        `INSERT INTO credentials (user_id, hash, updated_at, changed_at, temporary) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at,
           changed_at = excluded.changed_at, temporary = excluded.temporary`,
      )
      .run(userId, JSON.stringify(hash), now.toISOString(), Date.now(), temporary ? 1 : 0);
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}
