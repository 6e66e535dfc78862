import type { RecordedEvent } from '@netral/event-store';
import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPublicKey, verifierKey, verifyCheckpoint, parseVerifierKey } from './checkpoint';
import { TransparencyLog, TransparencyLogIntegrityError } from './tree-store';

const event = (position: number): RecordedEvent => ({
  id: `e-${position}`,
  streamId: `opd-${position}`,
  revision: 0n,
  position: BigInt(position),
  type: 'OpdRegistered',
  data: { opdId: `opd-${position}`, name: `OPD ${position}` },
  metadata: { actorId: 'hr', correlationId: 'uji' },
  created: new Date(Date.UTC(2024, 8, 1)),
});

/** The log file on its own, as the service and the CLI use it: signing, refusals, append-only storage. */
describe('TransparencyLog (SQLite file)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = { origin: 'netral.test/51.06', keyName: 'netral.test', privateKey };
  const key = parseVerifierKey(verifierKey('netral.test', rawPublicKey(publicKey)));
  const now = new Date('2024-10-01T00:00:00Z');
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netral-tlog-'));
    file = join(dir, 'tlog.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Edits the file as an intruder with SQL access would: the append-only triggers dropped first. */
  const tamper = (sql: string) => {
    const db = new Database(file);
    for (const trigger of ['nodes_append_only', 'nodes_kept', 'leaves_kept']) {
      db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
    db.exec(sql);
    db.close();
  };

  it('signs checkpoints that verify, and signs nothing when the tree has not grown', () => {
    const log = new TransparencyLog(file, signer);
    log.append([1, 2, 3].map(event));
    const first = log.checkpoint(now)!;
    expect(verifyCheckpoint(first.note, key)).toMatchObject({
      ok: true,
      checkpoint: { treeSize: 3 },
    });
    expect(log.checkpoint(now)).toBeUndefined();
    log.append([4, 5].map(event));
    expect(log.checkpoint(now)!.treeSize).toBe(5);
    expect(log.checkpoints().map((c) => c.treeSize)).toEqual([5, 3]);
    log.close();
  });

  it('refuses an event out of global order, writing nothing', () => {
    const log = new TransparencyLog(file, signer);
    log.append([event(1), event(2)]);
    expect(() => log.append([event(3), event(2)])).toThrow(TransparencyLogIntegrityError);
    expect(log.size).toBe(2);
    log.close();
  });

  it('is built by two processes on one file (the service and the CLI) as one sequence', () => {
    const service = new TransparencyLog(file, signer);
    const cli = new TransparencyLog(file, signer);
    const events = Array.from({ length: 20 }, (_, i) => event(i + 1));
    service.append(events.slice(0, 10));
    cli.append(events.slice(0, 15)); // 10 already logged by the service: checked and skipped
    expect(cli.checkpoint(now)!.treeSize).toBe(15);
    service.append(events.slice(10, 20)); // 5 already logged by the CLI
    expect(cli.checkpoint(now)!.treeSize).toBe(20); // signs the stored tree, grown by the service
    expect(service.checkpoint(now)).toBeUndefined(); // already signed at 20 by the CLI
    expect(cli.size).toBe(20);
    const alone = new TransparencyLog(join(dir, 'alone.sqlite'), signer);
    alone.append(events);
    expect(service.root().equals(alone.root())).toBe(true);
    expect(cli.root().equals(alone.root())).toBe(true);
    expect(service.checkpoints().map((c) => c.treeSize)).toEqual([20, 15]);
    // An already-logged position whose event differs is a rewritten history, not a duplicate.
    const rewritten = { ...event(3), data: { opdId: 'opd-3', name: 'Diubah' } };
    expect(() => service.append([rewritten])).toThrow(/no longer matches leaf 2/);
    expect(() => service.append([event(0)])).toThrow(TransparencyLogIntegrityError);
    for (const log of [service, cli, alone]) {
      log.close();
    }
  });

  it('refuses to sign a tree inconsistent with the checkpoint it signed before', () => {
    let log = new TransparencyLog(file, signer);
    log.append([1, 2, 3].map(event));
    log.checkpoint(now);
    log.close();
    // The subtree over leaves 0–1 is changed behind the log's back.
    tamper(`UPDATE nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 0`);
    log = new TransparencyLog(file, signer);
    log.append([event(4)]);
    expect(() => log.checkpoint(now)).toThrow(/not consistent with the checkpoint at 3/);
    expect(log.checkpoints().map((c) => c.treeSize)).toEqual([3]);
    log.close();
  });

  it('refuses to sign when leaves a checkpoint covered are gone', () => {
    let log = new TransparencyLog(file, signer);
    log.append([1, 2, 3, 4, 5].map(event));
    log.checkpoint(now);
    log.close();
    tamper(`DELETE FROM leaves WHERE idx >= 3; DELETE FROM nodes WHERE idx >= 3 AND level = 0`);
    log = new TransparencyLog(file, signer);
    expect(() => log.checkpoint(now)).toThrow(/holds 3 leaves but a checkpoint of 5 was signed/);
    log.close();
  });

  it('keeps its tables append-only against plain SQL', () => {
    const log = new TransparencyLog(file, signer);
    log.append([1, 2].map(event));
    log.checkpoint(now);
    log.close();
    const db = new Database(file);
    for (const sql of [
      'UPDATE nodes SET hash = zeroblob(32)',
      'DELETE FROM nodes',
      'UPDATE leaves SET position = position + 10',
      'DELETE FROM leaves',
      "UPDATE checkpoints SET note = 'x'",
      'DELETE FROM checkpoints',
    ]) {
      expect(() => db.exec(sql)).toThrow(/append-only|kept/);
    }
    // A subtree is written once: a second row for it is refused, never replaced.
    expect(() =>
      db.prepare('INSERT INTO nodes (level, idx, hash) VALUES (0, 0, ?)').run(Buffer.alloc(32)),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});
