import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import type { Role } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import { randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CaseCommands } from '../cases/case.commands';
import { Clock } from '../common/clock';
import { DocumentStore } from '../documents/document-store';
import { ElectionCommands } from '../elections/election.commands';
import type { ActorContext } from '../identity/actor';
import { systemActor, UserCommands } from '../identity/user.commands';
import { PledgeCommands } from '../pledges/pledge.commands';
import { Startup } from '../infrastructure/startup';
import { AsnCommands, OpdCommands } from '../registry/registry.commands';
import { BANGLI_OPDS, type DemoAsn, demoWorkforce, prng } from './bangli';

export interface DemoLogin {
  role: Role;
  username: string;
  password: string;
  displayName: string;
  opdId?: string;
  tryThis: string;
}

/** The demo logins `npm start` prints (and the README lists). Demo only: never set NETRAL_DEMO in production. */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    role: 'ADMIN',
    username: 'admin',
    password: 'admin-netral-2024',
    displayName: 'Admin Netral Bangli',
    tryThis: 'buat pengguna dan pemilihan',
  },
  {
    role: 'OPD_HEAD',
    username: 'kadis.kesehatan',
    password: 'kesehatan-bangli-2024',
    displayName: 'dr. I Nyoman Arsana',
    opdId: 'dinas-kesehatan',
    tryThis: 'lihat kepatuhan Dinas Kesehatan, tanda tangani pakta staf yang belum',
  },
  {
    role: 'BAWASLU',
    username: 'bawaslu',
    password: 'bawaslu-bangli-2024',
    displayName: 'Bawaslu Kabupaten Bangli',
    tryThis: 'laporkan pelanggaran, konfirmasi kasus, audit riwayat',
  },
  {
    role: 'HR',
    username: 'bkpsdm',
    password: 'bkpsdm-bangli-2024',
    displayName: 'BKPSDM Kabupaten Bangli',
    tryThis: 'impor ASN, catat sanksi PPK, terbitkan sertifikat',
  },
];

/** The demo regency's ASN, as seeded (and as samples/asn-bangli.csv lists the first of them): an OPD
 * head's demo login is the person appointed head of that OPD (a Balinese "Ni" is a woman, which the
 * NIP's gender digit must say too). */
export const demoRoster = (): DemoAsn[] =>
  demoWorkforce(
    600,
    Object.fromEntries(
      DEMO_LOGINS.flatMap(({ opdId, displayName }) =>
        opdId ? [[opdId, { name: displayName, female: /\bNi\b/.test(displayName) }] as const] : [],
      ),
    ),
  );

export const DEMO_ELECTION = {
  electionId: 'pilkada-2024',
  name: 'Pilkada Serentak 2024',
  kind: 'PILKADA' as const,
  votingDay: '2024-11-27',
  monitoringFrom: '2024-09-25',
  monitoringUntil: '2024-12-15',
};

const wita = (day: string, time = '09:00') => new Date(`${day}T${time}:00+08:00`);
const dayPlus = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Runs `work` over items, many at a time, so the store's group commit carries the appends. */
const inParallel = async <T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  width = 128,
) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        await work(items[next++]);
      }
    }),
  );
};

/**
 * Seeds Kabupaten Bangli when NETRAL_DEMO is on and the store is empty: the OPDs, ~600 ASN, the 2024
 * Pilkada, a realistic mix of pledges (most on time, some late, a few OPDs incomplete, two heads missing)
 * and cases in every state. Everything goes through the command services, so rules and metadata are real;
 * commands are decided as of the 2024 dates they describe.
 */
/** A demo login's password: the published one, except the administrator's when the operator chose one
 * (NETRAL_BOOTSTRAP_ADMIN_PASSWORD, e.g. in docker-compose.yml): a deployment never runs on a password
 * printed in the README. */
export const demoPassword = (login: DemoLogin, config: AppConfig): string =>
  login.role === 'ADMIN' && config.bootstrapAdminPassword
    ? config.bootstrapAdminPassword
    : login.password;

@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly users: UserCommands,
    private readonly elections: ElectionCommands,
    private readonly opds: OpdCommands,
    private readonly asn: AsnCommands,
    private readonly pledges: PledgeCommands,
    private readonly cases: CaseCommands,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly startup: Startup,
    private readonly documents: DocumentStore,
  ) {}

  onApplicationBootstrap(): void {
    this.startup.after('demo data', () => this.seedIfEmpty());
  }

  /** Seeds once the followers have caught up, and only into an empty store. */
  private async seedIfEmpty(): Promise<void> {
    if (!this.config.demo || (await this.store.headPosition()) !== null) {
      return;
    }
    const started = Date.now();
    const events = await this.seed();
    this.logger.log(
      `Demo regency Kabupaten Bangli seeded: ${events} commands in ${Date.now() - started} ms`,
    );
  }

  async seed(): Promise<number> {
    let commands = 0;
    const count = async <T>(p: Promise<T>) => {
      commands += 1;
      return p;
    };
    const actors = new Map<string, ActorContext>();
    const registerLogin = async (login: DemoLogin) => {
      await count(
        this.users.register(
          {
            username: login.username,
            displayName: login.displayName,
            password: demoPassword(login, this.config),
            role: login.role,
            ...(login.opdId ? { opdId: login.opdId } : {}),
          },
          systemActor(),
        ),
      );
    };
    for (const login of DEMO_LOGINS) {
      actors.set(login.username, {
        userId: login.username,
        username: login.username,
        displayName: login.displayName,
        role: login.role,
        ...(login.opdId ? { opdId: login.opdId } : {}),
        correlationId: `demo-${randomUUID()}`,
      });
    }
    // An OPD head's account needs their OPD registered: heads sign up after the registry below.
    await this.clock.at(wita('2024-08-01'), async () => {
      for (const login of DEMO_LOGINS.filter((l) => !l.opdId)) {
        await registerLogin(login);
      }
    });
    const admin = actors.get('admin')!;
    const hr = actors.get('bkpsdm')!;
    const kadis = actors.get('kadis.kesehatan')!;
    const bawaslu = actors.get('bawaslu')!;

    await this.clock.at(wita('2024-08-15'), () =>
      count(this.elections.schedule(DEMO_ELECTION, admin)),
    );
    const people = demoRoster();
    await this.clock.at(wita('2024-08-20'), async () => {
      for (const opd of BANGLI_OPDS) {
        await count(this.opds.register(opd, hr));
      }
      await inParallel(people, (p) => count(this.asn.enroll(p, hr)));
      await inParallel(
        BANGLI_OPDS.map((opd, i) => ({ opd, head: people[i] })),
        ({ opd, head }) => count(this.opds.appointHead(opd.opdId, head.nip, hr)),
      );
      for (const login of DEMO_LOGINS.filter((l) => l.opdId)) {
        await registerLogin(login);
      }
    });

    // Pledges: heads first (two have not signed), then staff; a few OPDs lag, some sign late.
    const random = prng(2024);
    const headless = new Set(['dinas-perhubungan', 'kecamatan-kintamani']);
    const lagging = new Set([
      'dinas-kesehatan',
      'dinas-pupr',
      'bapenda',
      'kecamatan-kintamani',
      'dinas-pariwisata',
    ]);
    const plan: { person: DemoAsn; day: string }[] = [];
    people.forEach((person, i) => {
      const isHead = i < BANGLI_OPDS.length;
      if (isHead) {
        if (!headless.has(person.opdId)) {
          plan.push({ person, day: dayPlus('2024-09-02', Math.floor(random() * 10)) });
        }
        return;
      }
      const r = random();
      if (lagging.has(person.opdId) && r < 0.25) {
        return; // missing
      }
      const late = r > 0.93;
      plan.push({
        person,
        day: late
          ? dayPlus('2024-09-26', Math.floor(random() * 12))
          : dayPlus('2024-09-12', Math.floor(random() * 12)),
      });
    });
    const byDay = new Map<string, typeof plan>();
    for (const item of plan) {
      byDay.set(item.day, [...(byDay.get(item.day) ?? []), item]);
    }
    for (const day of [...byDay.keys()].sort()) {
      await this.clock.at(wita(day, '15:00'), () =>
        inParallel(byDay.get(day)!, ({ person }) =>
          count(
            this.pledges.sign(
              {
                electionId: DEMO_ELECTION.electionId,
                nip: person.nip,
                signedAt: `${day}T10:00:00+08:00`,
                place: 'Bangli',
                witnesses: ['Bawaslu Kabupaten Bangli'],
              },
              person.opdId === 'dinas-kesehatan' ? kadis : hr,
            ),
          ),
        ),
      );
    }

    // Cases in every state.
    const staffOf = (opdId: string, k: number) =>
      people.filter((p, i) => i >= BANGLI_OPDS.length && p.opdId === opdId)[k];
    const report = async (
      day: string,
      who: DemoAsn,
      actCode: string,
      summary: string,
      source: 'BAWASLU_FINDING' | 'PUBLIC_REPORT' = 'BAWASLU_FINDING',
    ) => {
      // Kept like an upload from the report form, so the recorded hash names a file that can be
      // downloaded from the case page.
      const evidence = this.documents.put(await demoEvidence(actCode, summary));
      return (
        await this.clock.at(wita(day), () =>
          count(
            this.cases.report(
              {
                electionId: DEMO_ELECTION.electionId,
                nip: who.nip,
                source,
                actCode,
                occurredAt: dayPlus(day, -3),
                summary,
                evidence: [{ sha256: evidence.sha256, description: 'Bukti contoh (data demo)' }],
              },
              bawaslu,
            ),
          ),
        )
      ).caseId;
    };
    const verify = (day: string, caseId: string) =>
      this.clock.at(wita(day), () =>
        count(
          this.cases.verify(
            caseId,
            { note: 'Klarifikasi terhadap terlapor telah dilakukan' },
            bawaslu,
          ),
        ),
      );
    const confirm = (day: string, caseId: string, discipline?: 'RINGAN' | 'SEDANG' | 'BERAT') =>
      this.clock.at(wita(day), () =>
        count(
          this.cases.confirm(
            caseId,
            {
              findings: 'Terlapor terbukti melakukan perbuatan yang dilaporkan',
              authority: 'BKN',
              recommendation: { ethics: 'MORAL_TERBUKA', ...(discipline ? { discipline } : {}) },
            },
            bawaslu,
          ),
        ),
      );
    const sanction = (day: string, caseId: string, track: 'ETHICS' | 'DISCIPLINE', kind: string) =>
      this.clock.at(wita(day), () =>
        count(
          this.cases.imposeSanction(
            caseId,
            {
              track,
              kind,
              decreeNumber: `800/${Math.floor(random() * 9000) + 1000}/BKPSDM/2024`,
              decidedBy: 'Bupati Bangli',
              decidedAt: day,
              effectiveFrom: day,
            },
            hr,
          ),
        ),
      );

    await report(
      '2024-11-20',
      staffOf('dinas-pendidikan', 3),
      'N06',
      'Menyukai dan membagikan unggahan kampanye pasangan calon di Instagram',
    );
    await report(
      '2024-11-22',
      staffOf('kecamatan-susut', 2),
      'E01',
      'Hadir dalam sosialisasi pasangan calon di Banjar Susut',
      'PUBLIC_REPORT',
    );
    await verify(
      '2024-10-18',
      await report(
        '2024-10-14',
        staffOf('dinas-pupr', 1),
        'N08',
        'Membagikan stiker pasangan calon di kantor',
      ),
    );
    await verify(
      '2024-11-25',
      await report(
        '2024-11-21',
        staffOf('bapenda', 2),
        'N02',
        'Video dukungan kepada calon di TikTok',
      ),
    );
    const openConfirmed = await report(
      '2024-10-02',
      staffOf('dinas-kesehatan', 4),
      'N07',
      'Foto bersama calon dengan simbol jari di akun Facebook',
    );
    await verify('2024-10-07', openConfirmed);
    await confirm('2024-10-10', openConfirmed, 'SEDANG');
    const recentConfirmed = await report(
      '2024-11-28',
      staffOf('dinas-pariwisata', 1),
      'N04',
      'Menghadiri deklarasi dan menyampaikan dukungan',
    );
    await verify('2024-12-02', recentConfirmed);
    await confirm('2024-12-05', recentConfirmed, 'BERAT');
    const sanctioned = await report(
      '2024-09-30',
      staffOf('dinas-sosial', 2),
      'N10',
      'Mengumpulkan fotokopi KTP warga untuk dukungan calon',
    );
    await verify('2024-10-03', sanctioned);
    await confirm('2024-10-08', sanctioned, 'BERAT');
    await sanction('2024-10-28', sanctioned, 'DISCIPLINE', 'TURUN_JABATAN_12');
    await sanction('2024-10-28', sanctioned, 'ETHICS', 'MORAL_TERBUKA');
    const ethicsOnly = await report(
      '2024-10-05',
      staffOf('diskominfo', 1),
      'E02',
      'Mendampingi suami calon kampanye tanpa cuti',
    );
    await verify('2024-10-09', ethicsOnly);
    await confirm('2024-10-14', ethicsOnly);
    await sanction('2024-10-30', ethicsOnly, 'ETHICS', 'MORAL_TERTUTUP');
    for (const [day, opdId, reason] of [
      ['2024-10-21', 'dinas-pertanian', 'Unggahan ternyata sebelum penetapan calon'],
      ['2024-11-12', 'kecamatan-tembuku', 'Terlapor bukan ASN Pemkab Bangli pada saat kejadian'],
    ] as const) {
      const caseId = await report(
        dayPlus(day, -4),
        staffOf(opdId, 1),
        'N06',
        'Laporan masyarakat tentang unggahan media sosial',
        'PUBLIC_REPORT',
      );
      await verify(dayPlus(day, -2), caseId);
      await this.clock.at(wita(day), () => count(this.cases.dismiss(caseId, reason, bawaslu)));
    }
    return commands;
  }
}

/** A one-page PDF note standing in for a case's evidence: "Bukti contoh (data demo)", the act and the
 * summary. Fixed dates and producer, so a case's evidence hash is the same on every seeding. */
export const demoEvidence = async (actCode: string, summary: string): Promise<Buffer> => {
  const doc = await PDFDocument.create();
  const fixed = new Date('2024-01-01T00:00:00Z');
  doc.setCreationDate(fixed);
  doc.setModificationDate(fixed);
  doc.setProducer('Netral (data demo)');
  doc.setCreator('Netral');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  [
    'Bukti contoh (data demo)',
    `Perbuatan ${actCode}: ${summary}`,
    'Berkas ini dibuat oleh data demo Netral, bukan bukti sungguhan.',
  ].forEach((line, i) =>
    // Helvetica's encoding is WinAnsi: anything outside Latin-1 becomes '?'.
    page.drawText(line.replace(/[^\x20-\xff]/g, '?'), { x: 56, y: 780 - i * 16, size: 12, font }),
  );
  return Buffer.from(await doc.save());
};
