import { Injectable } from '@nestjs/common';
import {
  CURRENT_PAKTA_VERSION,
  notFound,
  type Opd,
  pledgeDecider,
  type SignPledge,
  streams,
} from '@netral/domain';
import { Clock } from '../common/clock';
import { written } from '../common/write-result';
import { type ActorContext, commandMetadata } from '../identity/actor';
import { assertOpdScope } from '../identity/opd-scope';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { Facts } from '../infrastructure/facts';
import { OpdMembershipLock } from '../registry/opd-membership';
import { normaliseNip } from '../registry/registry.commands';
import type { SignPledgeDto } from './pledge.dto';

/** The only writer of `pledge-*` streams. An OPD head submits pledges of their own OPD's ASN only. */
@Injectable()
export class PledgeCommands {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly facts: Facts,
    private readonly membership: OpdMembershipLock,
    private readonly clock: Clock,
  ) {}

  /**
   * Decided on the signer's OPD and role as they are when it lands (see OpdMembershipLock): the ASN's
   * membership lock is shared from the read of their stream to the append, so no move or departure of
   * theirs, nor their own appointment as head, lands in between. The one last appointed head of the OPD
   * also shares the OPD's lock, from a second read of its head, so no other appointment lands in between.
   * Pledges never wait for each other, and a staff pledge never waits for what happens to others.
   */
  async sign(dto: SignPledgeDto, actor: ActorContext) {
    const nip = normaliseNip(dto.nip);
    return this.membership.decide({ asns: [nip] }, async () => {
      const [election, asn] = await Promise.all([
        this.facts.election(dto.electionId),
        this.facts.asn(nip),
      ]);
      if (asn.status !== 'active') {
        return this.write(dto, nip, actor, { election, asn: { status: asn.status } });
      }
      const opdId = asn.opdId;
      const staff = { election, asn: { status: 'active' as const, opdId } };
      if (!this.lastAppointed(await this.facts.opd(opdId), nip)) {
        return this.write(dto, nip, actor, staff);
      }
      return this.membership.decide({ opds: [opdId] }, async () => {
        // The signer signs as head only while in office: asked only of the one last appointed, so a
        // staff pledge costs no extra read.
        const head = this.lastAppointed(await this.facts.opd(opdId), nip)
          ? await this.facts.sittingHead(opdId)
          : null;
        return this.write(dto, nip, actor, { ...staff, ...(head ? { opdHeadNip: head } : {}) });
      });
    });
  }

  async void(electionId: string, nip: string, reason: string, actor: ActorContext) {
    const bare = normaliseNip(nip);
    const stream = streams.pledge(electionId, bare);
    const { state } = await this.aggregates.load(stream, pledgeDecider);
    if (state.status !== 'none') {
      assertOpdScope(actor, state.opdId);
    } else if (!(await this.facts.election(electionId))) {
      // Nothing signed because there is no such election: say that, not "no pledge to void".
      throw notFound('ELECTION_NOT_FOUND', `Pemilihan ${electionId} tidak ditemukan.`);
    }
    const { position } = await this.aggregates.handle(stream, pledgeDecider, {
      type: 'VoidPledge',
      data: { reason },
      metadata: commandMetadata(actor, this.clock.moment()),
    });
    return written({ electionId, nip: bare }, position);
  }

  private lastAppointed(opd: Opd, nip: string): boolean {
    return opd.status !== 'none' && opd.headNip === nip;
  }

  private async write(
    dto: SignPledgeDto,
    nip: string,
    actor: ActorContext,
    context: Omit<SignPledge['context'], 'submitterOpdScope'>,
  ) {
    const { position } = await this.aggregates.handle(
      streams.pledge(dto.electionId, nip),
      pledgeDecider,
      {
        type: 'SignPledge',
        data: {
          electionId: dto.electionId,
          nip,
          signedAt: dto.signedAt,
          place: dto.place,
          textVersion: dto.textVersion ?? CURRENT_PAKTA_VERSION,
          witnesses: dto.witnesses ?? [],
          ...(dto.documentSha256 ? { documentSha256: dto.documentSha256 } : {}),
        },
        context: {
          ...context,
          ...(actor.role === 'OPD_HEAD' ? { submitterOpdScope: actor.opdId ?? '' } : {}),
        },
        metadata: commandMetadata(actor, this.clock.moment()),
      },
      // Most pledges are an ASN's first for the election: one stream read fewer on the way.
      { assumeNew: true },
    );
    return written({ electionId: dto.electionId, nip }, position);
  }
}
