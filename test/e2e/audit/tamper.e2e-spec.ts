import { EventStore } from '@netral/event-store';
import { createTestApp, createUser, seedLedger, type TestApp } from '@netral/testing';
import { leafBytes, TransparencyLog, verifyConsistency } from '@netral/transparency-log';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { registerAuditCommands } from '../../../apps/cli/src/commands/audit';
import { CliError } from '../../../apps/cli/src/cli-error';
import { AuditLog } from '../../../apps/ledger/src/audit/audit-log.service';

/**
 * What an auditor does: archive the checkpoint, the key and an export; later take a new export and check it
 * offline against the archived checkpoint. The store is tampered with through a raw SQLite connection (as
 * someone with file access could), after dropping the immutability triggers.
 */
describe('tampering is detected offline', () => {
  let t: TestApp;
  let dataDir: string;
  let archive: { checkpoint: string; key: string; export: string; size: number; root: Buffer };
  let logs: string[];

  const reopen = async () => {
    await t.close();
    t = await createTestApp({ NETRAL_DATA_DIR: dataDir });
  };

  const cli = async (...args: string[]): Promise<{ code: number; output: string }> => {
    const program = new Command('netral').exitOverride();
    registerAuditCommands(program);
    logs = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    const error = jest
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['node', 'netral', ...args]);
      return { code: 0, output: logs.join('\n') };
    } catch (e) {
      if (e instanceof CliError) {
        return { code: e.exitCode, output: [...logs, e.message].join('\n') };
      }
      throw e;
    } finally {
      log.mockRestore();
      error.mockRestore();
      stderr.mockRestore();
    }
  };

  const exportNow = async (name: string): Promise<string> => {
    const bawaslu = await createUser(t, 'BAWASLU');
    const res = await request(t.server)
      .get('/api/v1/audit/export')
      .set('Authorization', bawaslu.auth);
    const file = join(dataDir, name);
    writeFileSync(file, res.text);
    return file;
  };

  /** A download the server cuts mid-stream: what arrived before the cut (supertest only reports "aborted"). */
  const cutDownload = async (path: string): Promise<string> => {
    const bawaslu = await createUser(t, 'BAWASLU');
    const server = (t.server as unknown as Server).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
        get(
          { host: '127.0.0.1', port, path, agent: false, headers: { authorization: bawaslu.auth } },
          (res) => {
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('close', done);
          },
        ).on('error', done);
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };

  const tamper = (sql: (db: Database.Database) => void) => {
    const db = new Database(join(dataDir, 'events.sqlite'));
    db.exec('DROP TRIGGER events_are_immutable; DROP TRIGGER events_are_permanent;');
    sql(db);
    db.close();
  };

  beforeEach(async () => {
    t = await createTestApp({
      NETRAL_DATA_DIR: (dataDir = (await import('@netral/testing')).tempDir()),
    });
    const admin = await createUser(t, 'ADMIN');
    const hr = await createUser(t, 'HR');
    await seedLedger(t, { admin, hr }, { staffPerOpd: 3 });
    const audit = t.app.get(AuditLog);
    await audit.includes((await t.app.get(EventStore).headPosition())!);
    const signed = audit.checkpointNow()!;
    const checkpoint = join(dataDir, 'checkpoint.txt');
    const key = join(dataDir, 'key.txt');
    writeFileSync(checkpoint, signed.note);
    writeFileSync(key, audit.verifierKey);
    archive = {
      checkpoint,
      key,
      export: await exportNow('reference.ndjson'),
      size: signed.treeSize,
      root: Buffer.from(signed.rootHash, 'base64'),
    };
    await t.close();
  });

  afterEach(async () => {
    await t.close();
  });

  it('accepts an untouched history', async () => {
    await reopen();
    const fresh = await exportNow('fresh.ndjson');
    const { code, output } = await cli(
      'audit',
      'verify',
      '--export',
      fresh,
      '--checkpoint',
      archive.checkpoint,
      '--key',
      archive.key,
    );
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('OK:') });
  });

  const cases: [string, (db: Database.Database) => number][] = [
    [
      'one byte of a stored event changed',
      (db) => {
        const row = db
          .prepare(
            "SELECT position, data FROM events WHERE type = 'AsnEnrolled' ORDER BY position LIMIT 1",
          )
          .get() as { position: bigint; data: string };
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
          row.data.replace('Pelaksana', 'Pelaksanb'),
          row.position,
        );
        return Number(row.position);
      },
    ],
    [
      'an event deleted',
      (db) => {
        const row = db
          .prepare(
            "SELECT position FROM events WHERE type = 'OpdHeadAppointed' ORDER BY position LIMIT 1",
          )
          .get() as { position: bigint };
        db.prepare('DELETE FROM events WHERE position = ?').run(row.position);
        return Number(row.position);
      },
    ],
    [
      'two events swapped',
      (db) => {
        const rows = db
          .prepare("SELECT * FROM events WHERE type = 'AsnEnrolled' ORDER BY position LIMIT 2")
          .all() as Record<string, unknown>[];
        const move = db.prepare(
          'UPDATE events SET id = ?, stream_id = ?, revision = ?, type = ?, data = ?, metadata = ?, created = ? WHERE position = ?',
        );
        db.transaction(() => {
          move.run(
            `tmp-${String(rows[0].id)}`,
            'tmp-stream',
            -1,
            rows[0].type,
            rows[0].data,
            rows[0].metadata,
            rows[0].created,
            rows[0].position,
          );
          move.run(
            rows[0].id,
            rows[0].stream_id,
            rows[0].revision,
            rows[0].type,
            rows[0].data,
            rows[0].metadata,
            rows[0].created,
            rows[1].position,
          );
          move.run(
            rows[1].id,
            rows[1].stream_id,
            rows[1].revision,
            rows[1].type,
            rows[1].data,
            rows[1].metadata,
            rows[1].created,
            rows[0].position,
          );
        })();
        return Number(rows[0].position);
      },
    ],
  ];

  it.each(cases)(
    '%s: the verifier names the first affected leaf, and the old checkpoint is inconsistent with the rebuilt log',
    async (_name, change) => {
      let affectedPosition = 0;
      tamper((db) => {
        affectedPosition = change(db);
      });
      await reopen();
      const expectedIndex = t.app.get(AuditLog).log.indexOfPosition(BigInt(affectedPosition))!;

      // The running service checks every exported line against the leaf it logged: it cuts the download
      // before the first affected leaf and stops its log (health down) rather than serve a rewritten history.
      const served = await cutDownload('/api/v1/audit/export');
      expect(served.split('\n').filter(Boolean)).toHaveLength(expectedIndex);
      const health = await request(t.server).get('/health');
      expect(health.status).toBe(503);
      expect(health.body.details.transparencyLog).toMatchObject({
        status: 'down',
        reason: expect.stringContaining(`leaf ${expectedIndex}`),
      });

      // A server whose log was rebuilt from the tampered store would serve this export.
      const fresh = join(dataDir, 'tampered.ndjson');
      const lines: Buffer[] = [];
      for await (const event of t.app.get(EventStore).readAll()) {
        lines.push(Buffer.concat([leafBytes(event, lines.length), Buffer.from('\n')]));
      }
      writeFileSync(fresh, Buffer.concat(lines)); // one buffer per line: lines.length is the index

      const { code, output } = await cli(
        'audit',
        'verify',
        '--export',
        fresh,
        '--checkpoint',
        archive.checkpoint,
        '--key',
        archive.key,
        '--reference',
        archive.export,
      );
      expect(code).toBe(1);
      expect(output).toContain('berbeda dari akar yang ditandatangani');
      expect(output).toContain(
        `Baris pertama yang tidak sama dengan riwayat bertanda tangan: baris ${expectedIndex + 1} (daun ${expectedIndex}).`,
      );

      // On the server, the store is compared with the leaf hashes logged when each event was first seen.
      const previous = process.env.NETRAL_DATA_DIR;
      process.env.NETRAL_DATA_DIR = dataDir;
      try {
        const check = await cli('audit', 'check');
        expect(check.code).toBe(1);
        expect(check.output).toContain(`daun ${expectedIndex}`);
      } finally {
        process.env.NETRAL_DATA_DIR = previous;
      }

      // Without the archived export the root still exposes it.
      expect(
        (
          await cli(
            'audit',
            'verify',
            '--export',
            fresh,
            '--checkpoint',
            archive.checkpoint,
            '--key',
            archive.key,
          )
        ).code,
      ).toBe(1);

      // A log rebuilt from the tampered store cannot prove it extends the archived checkpoint.
      const rebuilt = new TransparencyLog(join(dataDir, 'rebuilt.sqlite'), {
        origin: 'x',
        keyName: 'x',
        privateKey: generateKeyPairSync('ed25519').privateKey,
      });
      const events = [];
      for await (const e of t.app.get(EventStore).readAll()) {
        events.push(e);
      }
      rebuilt.append(events);
      const to = Math.max(rebuilt.size, archive.size);
      const consistent =
        rebuilt.size >= archive.size &&
        verifyConsistency(
          archive.size,
          to,
          rebuilt.consistency(archive.size, to),
          archive.root,
          rebuilt.root(to),
        );
      expect(consistent).toBe(false);
      rebuilt.close();
    },
  );

  it('reports a missing or altered checkpoint and an unknown key clearly', async () => {
    await reopen();
    const fresh = await exportNow('fresh.ndjson');
    const altered = join(dataDir, 'altered.txt');
    const { readFileSync } = await import('node:fs');
    writeFileSync(
      altered,
      readFileSync(archive.checkpoint, 'utf8').replace(
        /\n(\d+)\n/,
        (_m, n: string) => `\n${Number(n) - 1}\n`,
      ),
    );
    const res = await cli(
      'audit',
      'verify',
      '--export',
      fresh,
      '--checkpoint',
      altered,
      '--key',
      archive.key,
    );
    expect(res.code).toBe(1);
    expect(res.output).toContain('tanda tangannya tidak terverifikasi');
    expect(
      (
        await cli(
          'audit',
          'verify',
          '--export',
          fresh,
          '--checkpoint',
          join(dataDir, 'tidak-ada.txt'),
          '--key',
          archive.key,
        )
      ).code,
    ).toBe(2);
  });
});
