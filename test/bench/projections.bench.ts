import { type EventData, SqliteEventStore } from '@netral/event-store';
import { ledgerProjection, ProjectionRunner, ReadModelQueries } from '@netral/projections';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ReadSide } from '../../apps/ledger/src/compliance/read-side';
import { type BenchRow, type BenchSuite, diskWorkDir, percentile } from './bench-kit';
import { runPledgeLoad, startLoadTarget } from './commands.bench';

const arg = (args: string[], name: string, fallback: number): number => {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};

const meta = { actorId: 'bench', actorRole: 'HR', correlationId: 'bench', schemaVersion: 1 };

/** A province: `regencies` × 40 OPDs, `asn` ASN, ten election rounds with ~90% pledges, transfers, cases. */
const generate = async (
  store: SqliteEventStore,
  asn: number,
  regencies: number,
  rounds: number,
  onProgress: (n: number) => void,
): Promise<number> => {
  let written = 0;
  const pending: Promise<unknown>[] = [];
  const append = async (stream: string, events: EventData[]) => {
    pending.push(store.appendToStream(stream, events));
    written += events.length;
    if (pending.length >= 512) {
      await Promise.all(pending.splice(0));
      onProgress(written);
    }
  };
  const opds = Array.from(
    { length: regencies * 40 },
    (_, i) => `r${Math.floor(i / 40)}-opd-${i % 40}`,
  );
  const nip = (i: number) => String(197001012000011000n + BigInt(i));
  for (const opdId of opds) {
    await append(`opd-${opdId}`, [
      {
        type: 'OpdRegistered',
        data: { opdId, code: opdId, name: `OPD ${opdId}`, kind: 'DINAS', regionCode: '51' },
        metadata: meta,
      },
    ]);
  }
  for (let r = 0; r < rounds; r++) {
    await append(`election-e${r}`, [
      {
        type: 'ElectionScheduled',
        data: {
          electionId: `e${r}`,
          name: `Pemilihan ${r}`,
          kind: 'PILKADA',
          regionCode: '51',
          votingDay: `20${20 + r}-11-27`,
          monitoringFrom: `20${20 + r}-09-25`,
          monitoringUntil: `20${20 + r}-12-15`,
        },
        metadata: meta,
      },
    ]);
  }
  for (let i = 0; i < asn; i++) {
    await append(`asn-${nip(i)}`, [
      {
        type: 'AsnEnrolled',
        data: {
          nip: nip(i),
          name: `ASN ${i}`,
          position: 'Staf',
          employmentType: 'PNS',
          opdId: opds[i % opds.length],
        },
        metadata: meta,
      },
    ]);
  }
  for (const [k, opdId] of opds.entries()) {
    await append(`opd-${opdId}`, [
      {
        type: 'OpdHeadAppointed',
        data: { opdId, nip: nip(k), appointedAt: '2019-01-01T00:00:00Z' },
        metadata: meta,
      },
    ]);
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < asn; i++) {
      if ((i * 7 + r) % 10 === 0) {
        continue; // ~10% never pledge in this round
      }
      await append(`pledge-e${r}-${nip(i)}`, [
        {
          type: 'PledgeSigned',
          data: {
            electionId: `e${r}`,
            nip: nip(i),
            opdId: opds[i % opds.length],
            role: i < opds.length ? 'OPD_HEAD' : 'ASN',
            textVersion: 'v1',
            textSha256: 'x',
            signedAt: `20${20 + r}-09-20`,
            place: 'Bangli',
            witnesses: [],
            submittedBy: 'bench',
            late: i % 13 === 0,
          },
          metadata: meta,
        },
      ]);
    }
    for (let c = 0; c < asn / 500; c++) {
      const caseId = `K-${r}-${c}`;
      await append(`case-${caseId}`, [
        {
          type: 'ViolationReported',
          data: {
            caseId,
            electionId: `e${r}`,
            nip: nip(c * 37),
            opdId: opds[(c * 37) % opds.length],
            source: 'BAWASLU_FINDING',
            actCode: 'N06',
            actCatalogueVersion: 'SKB-2022',
            occurredAt: '2024-10-01',
            summary: 's',
            evidence: [],
            reportedAt: '2024-10-02T00:00:00Z',
            verificationDueBy: '2024-10-09',
          },
          metadata: meta,
        },
        {
          type: 'CaseVerified',
          data: { caseId, verifiedAt: '2024-10-05T00:00:00Z', reviewDueBy: '2024-10-10' },
          metadata: meta,
        },
        {
          type: 'ViolationConfirmed',
          data: {
            caseId,
            findings: 'f',
            authority: 'BKN',
            recommendation: { discipline: 'SEDANG' },
            confirmedAt: '2024-10-08T00:00:00Z',
            followUpDueBy: '2024-11-07',
          },
          metadata: meta,
        },
      ]);
    }
  }
  await Promise.all(pending);
  return written;
};

/** `npm run bench -- projections [--asn=100000] [--regencies=20] [--rounds=10] [--seconds=8]` */
export const projectionsBench: BenchSuite = {
  name: 'projections',
  description:
    'read side: rebuild of a province-sized history, query latency, projection lag under write load',
  run: async (args) => {
    const asn = arg(args, 'asn', 100_000);
    const regencies = arg(args, 'regencies', 20);
    const rounds = arg(args, 'rounds', 10);
    const seconds = arg(args, 'seconds', 8);
    const dir = diskWorkDir('netral-projections-bench-');
    const rows: BenchRow[] = [];
    try {
      const store = new SqliteEventStore({
        file: join(dir, 'events.sqlite'),
        synchronous: 'NORMAL',
      });
      let last = 0;
      const events = await generate(store, asn, regencies, rounds, (n) => {
        if (n - last >= 100_000) {
          process.stderr.write(`generated ${n} events\n`);
          last = n;
        }
      });
      const runner = new ProjectionRunner(store, join(dir, 'readmodels.sqlite'), [
        ledgerProjection,
      ]);
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const started = performance.now();
      const replayed = await runner.rebuild();
      const rebuildRate = replayed / ((performance.now() - started) / 1000);
      clearInterval(sampler);
      rows.push({
        metric: `history generated`,
        value: events,
        unit: 'events',
        note: `${asn.toLocaleString('en-US')} ASN, ${regencies * 40} OPDs, ${rounds} election rounds`,
      });
      rows.push({
        metric: 'rebuild',
        value: rebuildRate,
        unit: 'events/s',
        target: '≥ 100,000',
        met: rebuildRate >= 100_000,
      });
      rows.push({
        metric: 'peak RSS during rebuild',
        value: peak / 1024 / 1024,
        unit: 'MB',
        target: '≤ 300',
        met: peak / 1024 / 1024 <= 300,
      });
      const queries = new ReadModelQueries(runner.db, 100);
      const time = (fn: () => unknown): number[] => {
        const samples: number[] = [];
        for (let i = 0; i < 300; i++) {
          const t0 = performance.now();
          fn();
          samples.push(performance.now() - t0);
        }
        return samples.sort((a, b) => a - b);
      };
      const list = time(() => queries.compliance('e5', '2026-01-01'));
      const single = time(() =>
        queries.compliance('e5', '2026-01-01', `r3-opd-${Math.floor(Math.random() * 40)}`),
      );
      rows.push({
        metric: `compliance list (${regencies * 40} OPDs) p50`,
        value: percentile(list, 50),
        unit: 'ms',
      });
      rows.push({
        metric: `compliance list (${regencies * 40} OPDs) p99`,
        value: percentile(list, 99),
        unit: 'ms',
        target: '≤ 10',
        met: percentile(list, 99) <= 10,
      });
      rows.push({ metric: 'single-OPD compliance p50', value: percentile(single, 50), unit: 'ms' });
      rows.push({
        metric: 'single-OPD compliance p99',
        value: percentile(single, 99),
        unit: 'ms',
        target: '≤ 10',
        met: percentile(single, 99) <= 10,
      });
      runner.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Lag: while the commands benchmark writes pledges, how long from a commit to its visibility.
    const target = await startLoadTarget(Math.max(40_000, seconds * 4000));
    try {
      const read = target.app.get(ReadSide);
      const store = read.runner.store;
      const lags: number[] = [];
      let running = true;
      const probe = (async () => {
        while (running) {
          const head = await store.headPosition();
          const t0 = performance.now();
          if (head !== null && (await read.runner.waitFor(head, 5000))) {
            lags.push(performance.now() - t0);
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const load = await runPledgeLoad(target, { seconds, connections: 32 });
      running = false;
      await probe;
      lags.sort((a, b) => a - b);
      rows.push({
        metric: 'projection lag under write load p50',
        value: percentile(lags, 50),
        unit: 'ms',
        note: `${load.requestsPerSecond.toFixed(0)} pledges/s, ${lags.length} probes`,
      });
      rows.push({
        metric: 'projection lag under write load p99',
        value: percentile(lags, 99),
        unit: 'ms',
        target: '≤ 100',
        met: percentile(lags, 99) <= 100,
      });
    } finally {
      await target.close();
    }
    return rows;
  },
};
