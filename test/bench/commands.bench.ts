import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configFor } from '@netral/config';
import type autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppModule } from '../../apps/ledger/src/app.module';
import { configureApp } from '../../apps/ledger/src/configure-app';
import { Startup } from '../../apps/ledger/src/infrastructure/startup';
import { systemActor, UserCommands } from '../../apps/ledger/src/identity/user.commands';
import { ElectionCommands } from '../../apps/ledger/src/elections/election.commands';
import { OpdCommands } from '../../apps/ledger/src/registry/registry.commands';
import { PledgeCommands } from '../../apps/ledger/src/pledges/pledge.commands';
import { SignPledgeDto } from '../../apps/ledger/src/pledges/pledge.dto';
import { createValidationPipe } from '../../apps/ledger/src/common/validation';
import { RosterImport } from '../../apps/ledger/src/registry/roster-import';
import { AuditLog } from '../../apps/ledger/src/audit/audit-log.service';
import { ReadSide } from '../../apps/ledger/src/compliance/read-side';
import { EventStore } from '@netral/event-store';
import { type BenchSuite, diskWorkDir } from './bench-kit';

/** A running app for load tests: the real module and HTTP stack on a disk-backed temp dir, fsync on. */
export interface LoadTarget {
  app: NestExpressApplication;
  url: string;
  token: string;
  /** NIPs enrolled and not yet pledged: each pledge request takes the next one. */
  freshNips: string[];
  importRowsPerSecond: number;
  close(): Promise<void>;
}

const nip = (i: number): string => {
  // Synthetic valid PNS NIPs: birth 1970-01-01 + (i mod 9000) days, TMT +25 years, sequence from i.
  const birth = new Date(Date.UTC(1970, 0, 1 + (i % 9000)));
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  return `${ymd}${birth.getUTCFullYear() + 25}${String((Math.floor(i / 9000) % 12) + 1).padStart(2, '0')}1${String((Math.floor(i / 108000) % 999) + 1).padStart(3, '0')}`;
};

export const startLoadTarget = async (
  asnCount: number,
  env: Record<string, string> = {},
): Promise<LoadTarget> => {
  const dataDir = diskWorkDir('netral-commands-bench-');
  const config = configFor({
    NETRAL_DATA_DIR: dataDir,
    NETRAL_SQLITE_SYNC: 'FULL',
    NETRAL_LOG_LEVEL: 'warn',
    NETRAL_RATE_LIMIT_PER_MINUTE: '1000000',
    NETRAL_JWT_TTL_SECONDS: '86400',
    ...env,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  await app.get(Startup).ready();
  const { port } = app.getHttpServer().address() as { port: number };
  const actor = systemActor();
  await app
    .get(UserCommands)
    .register(
      { username: 'bench.hr', displayName: 'Bench HR', password: 'bench-password-1', role: 'HR' },
      actor,
    );
  await app.get(ElectionCommands).schedule(
    {
      electionId: 'bench-2024',
      name: 'Bench',
      kind: 'PILKADA',
      votingDay: '2024-11-27',
      monitoringFrom: '2024-09-25',
      monitoringUntil: '2024-12-15',
    },
    actor,
  );
  await app
    .get(OpdCommands)
    .register({ opdId: 'dinas-bench', code: '9.99.01', name: 'Dinas Bench', kind: 'DINAS' }, actor);
  const nips = Array.from({ length: asnCount }, (_, i) => nip(i));
  const csv = [
    'NIP,Nama,Jabatan,Jenis ASN,Kode OPD',
    ...nips.map((n) => `${n},ASN ${n.slice(-6)},Pelaksana,PNS,9.99.01`),
  ].join('\n');
  const started = performance.now();
  const report = await app.get(RosterImport).importAsn(Readable.from([csv]), actor);
  const importSeconds = (performance.now() - started) / 1000;
  if (report.errors.length > 0 || report.created !== asnCount) {
    throw new Error(`bench roster import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
  }
  // Measure a settled service: the read models and the transparency log have caught up with the import
  // (otherwise the first seconds of every load run compete with hashing the whole roster).
  const head = await app.get(EventStore).headPosition();
  if (head !== null) {
    await app.get(AuditLog).includes(head, 300_000);
    if (!(await app.get(ReadSide).runner.waitFor(head, 300_000))) {
      throw new Error('read models did not catch up with the bench roster');
    }
  }
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench.hr', password: 'bench-password-1' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    token: accessToken,
    freshNips: nips,
    importRowsPerSecond: asnCount / importSeconds,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

const summarise = (r: autocannon.Result): LoadResult => ({
  requestsPerSecond: r.requests.total / (r.duration || 1),
  p50: r.latency.p50,
  p99: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  total: r.requests.total,
});

/** Runs one autocannon job in a child process (see commands/load-worker.ts). */
const loadInChild = (
  job: object,
): Promise<{ result: autocannon.Result; requested: number; available: number }> => {
  const dir = mkdtempSync(join(tmpdir(), 'netral-load-'));
  const jobFile = join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'commands', 'load-worker.js'), [jobFile], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message) =>
      resolvePromise(
        message as { result: autocannon.Result; requested: number; available: number },
      ),
    );
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) {
        reject(new Error(`load generator exited with ${code}`));
      }
    });
  });
};

/**
 * `POST /api/v1/pledges` at `connections` for `seconds`, each request with an unused NIP, from a separate
 * process. The NIPs it sent are taken off `target.freshNips`, so the next run signs fresh ones again. A run
 * with a failed request throws: a refused pledge writes nothing, so its rate would measure nothing. Exported
 * so the audit and read-side benchmarks can measure their overhead under the same load.
 */
export const runPledgeLoad = async (
  target: Pick<LoadTarget, 'url' | 'token' | 'freshNips'>,
  options: { seconds: number; connections: number },
): Promise<LoadResult> => {
  const nipsFile = join(mkdtempSync(join(tmpdir(), 'netral-nips-')), 'nips.txt');
  writeFileSync(nipsFile, target.freshNips.join('\n'));
  const { result, requested, available } = await loadInChild({
    kind: 'pledges',
    url: target.url,
    token: target.token,
    electionId: 'bench-2024',
    nipsFile,
    ...options,
  });
  rmSync(nipsFile, { force: true });
  if (requested > available) {
    throw new Error(`only ${available} fresh NIPs for ${requested} requests: raise --asn`);
  }
  target.freshNips.splice(0, requested);
  const load = summarise(result);
  if (load.non2xx > 0 || load.errors > 0) {
    throw new Error(
      `${load.non2xx} of ${load.total} pledge requests answered non-2xx and ${load.errors} failed`,
    );
  }
  return load;
};

/**
 * The framework's ceiling for this very request: a bare Nest app (no middleware, guard, interceptor, store or
 * logger) whose only route is `POST /api/v1/pledges` with the same DTO and validation pipe, answering 201
 * without writing. What the pledge route would reach if everything Netral adds cost nothing.
 */
@Controller('api/v1/pledges')
class BarePledgeController {
  @Post()
  sign(@Body() dto: SignPledgeDto) {
    return { electionId: dto.electionId, nip: dto.nip, position: '0' };
  }
}

@Module({ controllers: [BarePledgeController] })
class BarePledgeModule {}

const runBarePledgeLoad = async (
  nips: string[],
  options: { seconds: number; connections: number },
): Promise<LoadResult> => {
  const app = await NestFactory.create(BarePledgeModule, { logger: false });
  app.useGlobalPipes(createValidationPipe());
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address() as { port: number };
    const target = { url: `http://127.0.0.1:${port}`, token: 'none', freshNips: [...nips] };
    await runPledgeLoad(target, { seconds: 2, connections: options.connections }); // warm-up
    return await runPledgeLoad(target, options);
  } finally {
    await app.close();
  }
};

export const runHealthLoad = async (
  target: LoadTarget,
  options: { seconds: number; connections: number },
): Promise<LoadResult> =>
  summarise((await loadInChild({ kind: 'health', url: target.url, ...options })).result);

/**
 * The same pledge command without HTTP: PledgeCommands.sign called in-process by `connections` concurrent
 * callers, NIPs taken from the end of the fresh list (the HTTP load takes them from the start). What the
 * write path itself (stream reads, decision, group commit, the followers) sustains on this machine. It
 * stops early when the fresh NIPs run out (a fast machine signs them all within the time): the rate is
 * over the time it ran.
 */
const runDirectPledges = async (
  target: LoadTarget,
  options: { seconds: number; connections: number },
): Promise<number> => {
  const commands = target.app.get(PledgeCommands);
  const actor = { ...systemActor(), role: 'HR' as const };
  let next = target.freshNips.length - 1;
  const until = performance.now() + options.seconds * 1000;
  let done = 0;
  const caller = async (): Promise<void> => {
    while (performance.now() < until && next >= 0) {
      const nip = target.freshNips[next--];
      await commands.sign(
        { electionId: 'bench-2024', nip, signedAt: '2024-09-20', place: 'Bangli' },
        actor,
      );
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.connections }, caller));
  return (done * 1000) / (performance.now() - started);
};

const arg = (args: string[], name: string, fallback: number): number => {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};

/** `npm run bench -- commands [--seconds=10] [--connections=32] [--asn=100000]` */
export const commandsBench: BenchSuite = {
  name: 'commands',
  description:
    'POST /api/v1/pledges under autocannon vs GET /health on the same app (synchronous=FULL), and CSV import rows/s',
  run: async (args) => {
    const seconds = arg(args, 'seconds', 10);
    const connections = arg(args, 'connections', 32);
    const asn = arg(args, 'asn', 100_000);
    const target = await startLoadTarget(asn);
    try {
      // Each kind of request warms up (JIT, caches) before it is measured. The pledges' warm-up is a full
      // run: the first seconds of writing after the roster import also collect its garbage (see the audit
      // benchmark, where a first run on that heap was ~15 % slower).
      const bare = await runBarePledgeLoad(target.freshNips, { seconds, connections });
      await runHealthLoad(target, { seconds: 2, connections });
      const health = await runHealthLoad(target, { seconds, connections });
      await runPledgeLoad(target, { seconds, connections });
      const pledges = await runPledgeLoad(target, { seconds, connections });
      const direct = await runDirectPledges(target, { seconds: Math.min(seconds, 5), connections });
      const ratio = pledges.requestsPerSecond / health.requestsPerSecond;
      return [
        {
          metric: `CSV import (${asn.toLocaleString('en-US')} rows)`,
          value: target.importRowsPerSecond,
          unit: 'rows/s',
          target: '≥ 10,000',
          met: target.importRowsPerSecond >= 10_000,
        },
        {
          metric: 'GET /health',
          value: health.requestsPerSecond,
          unit: 'req/s',
          note: `p99 ${health.p99} ms`,
        },
        {
          metric: 'POST /pledges on a bare Nest app (no write)',
          value: bare.requestsPerSecond,
          unit: 'req/s',
          note: `same DTO and validation pipe, nothing else; p99 ${bare.p99} ms`,
        },
        {
          metric: 'POST /pledges',
          value: pledges.requestsPerSecond,
          unit: 'req/s',
          target: '≥ 1,500',
          met: pledges.requestsPerSecond >= 1500,
          note: `${pledges.total} pledges signed`,
        },
        {
          metric: 'PledgeCommands.sign in-process (no HTTP)',
          value: direct,
          unit: 'pledges/s',
          note: `${connections} concurrent callers: the write path without the HTTP stack`,
        },
        {
          metric: 'POST /pledges / GET /health',
          value: ratio,
          unit: '×',
          target: '≥ 0.4',
          met: ratio >= 0.4,
        },
        { metric: 'POST /pledges latency p50', value: pledges.p50, unit: 'ms' },
        {
          metric: 'POST /pledges latency p99',
          value: pledges.p99,
          unit: 'ms',
          target: '≤ 50',
          met: pledges.p99 <= 50,
        },
      ];
    } finally {
      await target.close();
    }
  },
};
