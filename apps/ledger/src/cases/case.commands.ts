import { Injectable } from '@nestjs/common';
import { caseDecider, type CaseCommand, DomainError, streams } from '@netral/domain';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { type Unstamped, written } from '../common/write-result';
import { type ActorContext, commandMetadata } from '../identity/actor';
import { assertOpdScope, assertRole } from '../identity/opd-scope';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { Facts } from '../infrastructure/facts';
import { OpdMembershipLock } from '../registry/opd-membership';
import { normaliseNip } from '../registry/registry.commands';
import type {
  ConfirmViolationDto,
  ImposeSanctionDto,
  ReportViolationDto,
  VerifyCaseDto,
} from './case.dto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Case numbers people can read out on the phone: `K-2024-7Q3M9XHD` (40 random bits, no I/L/O/U). */
export const newCaseId = (year: string): string => {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const byte of bytes) {
    bits = (bits << 8n) | BigInt(byte);
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    text = CROCKFORD[Number(bits & 31n)] + text;
    bits >>= 5n;
  }
  return `K-${year}-${text}`;
};

/** The only writer of `case-*` streams. */
/** Who moves a case once reported: Bawaslu (verify, confirm, dismiss), BKPSDM for the PPK (the
 * sanction), an administrator (the CLI, the system). The routes' @Roles are narrower per step. */
const CASE_DECIDERS = ['BAWASLU', 'HR', 'ADMIN'] as const;

@Injectable()
export class CaseCommands {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly facts: Facts,
    private readonly membership: OpdMembershipLock,
    private readonly clock: Clock,
  ) {}

  /** Recorded against the OPD the ASN is in when it lands: their membership lock is shared from the
   * read to the append (see OpdMembershipLock), so no move or departure lands in between. */
  async report(dto: ReportViolationDto, actor: ActorContext) {
    const nip = normaliseNip(dto.nip);
    return this.membership.decide({ asns: [nip] }, async () => {
      const [election, asn] = await Promise.all([
        this.facts.election(dto.electionId),
        this.facts.asn(nip),
      ]);
      if (asn.status !== 'none') {
        assertOpdScope(actor, asn.opdId);
      }
      const at = this.clock.moment();
      for (let attempt = 0; ; attempt++) {
        const caseId = newCaseId(at.today.slice(0, 4));
        try {
          const { position } = await this.aggregates.handle(streams.case(caseId), caseDecider, {
            type: 'ReportViolation',
            data: {
              ...dto,
              nip,
              caseId,
              evidence: (dto.evidence ?? []).map((e) => ({
                sha256: e.sha256,
                description: e.description,
              })),
            },
            context: {
              electionExists: election !== null,
              asn: asn.status === 'none' ? null : { status: asn.status, opdId: asn.opdId },
              sla: this.facts.sla,
            },
            metadata: commandMetadata(actor, at),
          });
          return written({ caseId }, position);
        } catch (error) {
          // A random id already taken: draw another (astronomically rare, but never a 409 for the user).
          if (error instanceof DomainError && error.code === 'CASE_ALREADY_EXISTS' && attempt < 3) {
            continue;
          }
          throw error;
        }
      }
    });
  }

  verify(caseId: string, dto: VerifyCaseDto, actor: ActorContext) {
    return this.handle(caseId, actor, {
      type: 'VerifyCase',
      data: { ...(dto.note ? { note: dto.note } : {}) },
      context: { sla: this.facts.sla },
    });
  }

  confirm(caseId: string, dto: ConfirmViolationDto, actor: ActorContext) {
    return this.handle(caseId, actor, {
      type: 'ConfirmViolation',
      data: {
        findings: dto.findings,
        authority: dto.authority,
        recommendation: {
          ...(dto.recommendation.ethics ? { ethics: dto.recommendation.ethics } : {}),
          ...(dto.recommendation.discipline ? { discipline: dto.recommendation.discipline } : {}),
        },
      },
      context: { sla: this.facts.sla },
    });
  }

  dismiss(caseId: string, reason: string, actor: ActorContext) {
    return this.handle(caseId, actor, { type: 'DismissViolation', data: { reason } });
  }

  async imposeSanction(caseId: string, dto: ImposeSanctionDto, actor: ActorContext) {
    const { state } = await this.aggregates.load(streams.case(caseId), caseDecider);
    const asn = state.status === 'none' ? null : await this.facts.asn(state.nip);
    return this.handle(caseId, actor, {
      type: 'ImposeSanction',
      data: { ...dto },
      context: { employmentType: asn && asn.status !== 'none' ? asn.employmentType : null },
    });
  }

  private async handle(caseId: string, actor: ActorContext, command: Unstamped<CaseCommand>) {
    if (actor.role === 'OPD_HEAD') {
      // Whatever the route: an OPD head never moves a case (verification and confirmation are Bawaslu's,
      // the sanction the PPK's); another OPD's is refused as out of their scope, their own as not theirs
      // to decide.
      const { state } = await this.aggregates.load(streams.case(caseId), caseDecider);
      if (state.status !== 'none') {
        assertOpdScope(actor, state.opdId);
      }
    }
    assertRole(actor, CASE_DECIDERS);
    const { position } = await this.aggregates.handle(streams.case(caseId), caseDecider, {
      ...command,
      metadata: commandMetadata(actor, this.clock.moment()),
    });
    return written({ caseId }, position);
  }
}
