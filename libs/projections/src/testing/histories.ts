import {
  asnDecider,
  caseDecider,
  type CommandMetadata,
  type Decider,
  DomainError,
  electionDecider,
  opdDecider,
  pledgeDecider,
  streams,
} from '@netral/domain';
import type { EventData, EventStore } from '@netral/event-store';
import fc from 'fast-check';

/** One step of a random history: which kind of command, and small integers choosing its targets. */
export type Step = [kind: number, a: number, b: number, c: number];

export const stepArbitrary = fc.tuple(fc.nat(11), fc.nat(7), fc.nat(7), fc.nat(3));

const OPDS = ['dinas-a', 'dinas-b', 'dinas-c'];
const NIPS = Array.from(
  { length: 8 },
  (_, i) => `19800101200501${i % 2 === 0 ? 1 : 2}0${String(i + 10).padStart(2, '0')}`,
);
const SLA = { verificationDays: 7, reviewWorkingDays: 3, followUpDays: 30 };

/**
 * Turns random steps into a valid history by running them through the real deciders (rejected commands are
 * skipped), appending to the store as it goes. Returns how many events were written.
 */
export const writeHistory = async (store: EventStore, steps: readonly Step[]): Promise<number> => {
  const states = new Map<string, unknown>();
  let written = 0;
  let day = 0;
  const meta = (): CommandMetadata => {
    const now = new Date(Date.UTC(2024, 8, 1 + Math.floor(day++ / 4))).toISOString();
    return {
      now,
      today: now.slice(0, 10),
      utcOffsetMinutes: 480,
      actorId: 'uji',
      actorRole: 'HR',
      correlationId: 'uji',
    };
  };
  const run = async <S, C, E extends { type: string; data: Record<string, unknown> }>(
    stream: string,
    decider: Decider<S, C, E>,
    command: C,
  ): Promise<E[]> => {
    const state = (states.get(stream) as S | undefined) ?? decider.initialState();
    let events: E[];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (error instanceof DomainError) {
        return [];
      }
      throw error;
    }
    if (events.length === 0) {
      return [];
    }
    await store.appendToStream(
      stream,
      events.map((e): EventData => ({ type: e.type, data: e.data })),
    );
    states.set(stream, events.reduce(decider.evolve, state));
    written += events.length;
    return events;
  };
  // Each OPD's head in office (Facts.sittingHead): set by an appointment, ended by a move out or departure.
  const sitting = new Map<string, string>();
  const endTerm = (events: { type: string }[], opdId: string | undefined, nip: string): void => {
    if (events.length > 0 && opdId !== undefined && sitting.get(opdId) === nip) {
      sitting.delete(opdId);
    }
  };
  const asn = (nip: string) =>
    (states.get(streams.asn(nip)) as ReturnType<typeof asnDecider.initialState> | undefined) ?? {
      status: 'none' as const,
    };
  const opdFact = (opdId: string) => {
    const s = states.get(streams.opd(opdId)) as { status: string } | undefined;
    return s?.status === 'active' ? 'active' : s?.status === 'dissolved' ? 'dissolved' : 'none';
  };
  const election = {
    electionId: 'e1',
    name: 'E1',
    kind: 'PILKADA' as const,
    regionCode: '51.06',
    votingDay: '2024-11-27',
    monitoringFrom: '2024-09-10',
    monitoringUntil: '2024-12-15',
  };
  await run(streams.election('e1'), electionDecider, {
    type: 'ScheduleElection',
    data: election,
    metadata: meta(),
  });
  for (const [kind, a, b, c] of steps) {
    const nip = NIPS[a % NIPS.length];
    const opdId = OPDS[b % OPDS.length];
    const caseId = `K-${c}`;
    const person = asn(nip);
    switch (kind) {
      case 0:
        await run(streams.opd(opdId), opdDecider, {
          type: 'RegisterOpd',
          data: { opdId, code: opdId, name: opdId, kind: 'DINAS', regionCode: '51.06' },
          context: { parentActive: false },
          metadata: meta(),
        });
        break;
      case 1:
      case 2:
        await run(streams.asn(nip), asnDecider, {
          type: 'EnrollAsn',
          data: {
            nip,
            name: `ASN ${a}`,
            position: 'Staf',
            employmentType: c % 2 ? 'PPPK' : 'PNS',
            opdId,
          },
          context: { opd: opdFact(opdId) },
          metadata: meta(),
        });
        break;
      case 3:
      case 4: {
        const events = await run(
          streams.asn(nip),
          asnDecider,
          kind === 3
            ? {
                type: 'TransferAsn',
                data: { toOpdId: opdId },
                context: { opd: opdFact(opdId) },
                metadata: meta(),
              }
            : { type: 'RecordAsnLeft', data: { reason: 'x' }, metadata: meta() },
        );
        endTerm(events, person.status === 'active' ? person.opdId : undefined, nip);
        break;
      }
      case 5:
      case 6: {
        const head = person.status === 'active' ? sitting.get(person.opdId) : undefined;
        await run(streams.pledge('e1', nip), pledgeDecider, {
          type: 'SignPledge',
          data: {
            electionId: 'e1',
            nip,
            signedAt: `2024-09-${String(1 + c * 5).padStart(2, '0')}`,
            place: 'Bangli',
            textVersion: 'v1',
            witnesses: [],
          },
          context: {
            election: {
              name: election.name,
              monitoringFrom: election.monitoringFrom,
              monitoringUntil: election.monitoringUntil,
            },
            asn:
              person.status === 'active'
                ? { status: 'active', opdId: person.opdId }
                : { status: person.status },
            ...(head ? { opdHeadNip: head } : {}),
          },
          metadata: meta(),
        });
        break;
      }
      case 7:
        await run(streams.pledge('e1', nip), pledgeDecider, {
          type: 'VoidPledge',
          data: { reason: 'x' },
          metadata: meta(),
        });
        break;
      case 8:
        if (
          (
            await run(streams.opd(opdId), opdDecider, {
              type: 'AppointOpdHead',
              data: { opdId, nip },
              context: {
                asn:
                  person.status === 'active'
                    ? { status: 'active', opdId: person.opdId }
                    : { status: person.status },
                sittingHead: sitting.get(opdId) ?? null,
              },
              metadata: meta(),
            })
          ).length > 0
        ) {
          sitting.set(opdId, nip);
        }
        break;
      case 9:
        await run(streams.case(caseId), caseDecider, {
          type: 'ReportViolation',
          data: {
            caseId,
            electionId: 'e1',
            nip,
            source: 'INTERNAL',
            actCode: ['N06', 'E01', 'N05'][c % 3],
            occurredAt: '2024-09-01',
            summary: 's',
            evidence: [],
          },
          context: {
            electionExists: true,
            asn: person.status === 'none' ? null : { status: person.status, opdId: person.opdId },
            sla: SLA,
          },
          metadata: meta(),
        });
        break;
      case 10: {
        const next = [
          { type: 'VerifyCase', data: {}, context: { sla: SLA } },
          {
            type: 'ConfirmViolation',
            data: {
              findings: 'f',
              authority: 'BKN',
              recommendation: { ethics: 'MORAL_TERBUKA', discipline: 'BERAT' },
            },
            context: { sla: SLA },
          },
          { type: 'DismissViolation', data: { reason: 'r' } },
        ][a % 3];
        await run(streams.case(caseId), caseDecider, { ...next, metadata: meta() } as never);
        break;
      }
      default:
        await run(streams.case(caseId), caseDecider, {
          type: 'ImposeSanction',
          data: {
            track: a % 2 ? 'ETHICS' : 'DISCIPLINE',
            kind: a % 2 ? 'MORAL_TERBUKA' : 'TEGURAN_LISAN',
            decreeNumber: 'd',
            decidedBy: 'b',
            decidedAt: '2024-09-01',
            effectiveFrom: '2024-09-01',
          },
          context: { employmentType: 'PNS' },
          metadata: meta(),
        });
    }
  }
  return written;
};
