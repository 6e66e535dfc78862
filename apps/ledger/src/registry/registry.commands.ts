import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import {
  type Asn,
  asnDecider,
  type AsnCommand,
  type CommandMetadata,
  normaliseOpdCode,
  opdDecider,
  type OpdCommand,
  type RegisterOpd,
  type RegisteredOpd,
  streams,
  validateNip,
} from '@netral/domain';
import { Clock } from '../common/clock';
import { type Unstamped, written } from '../common/write-result';
import { type ActorContext, commandMetadata } from '../identity/actor';
import { assertOpdScope } from '../identity/opd-scope';
import { AggregateStore, type Loaded } from '../infrastructure/aggregate-store';
import { Facts } from '../infrastructure/facts';
import { OpdMembershipLock } from './opd-membership';
import { RegistryFacts } from './registry-facts';
import type { EnrollAsnDto, RegisterOpdDto } from './registry.dto';

/** NIPs arrive with spaces or dots as printed; streams and events use the bare 18 digits. */
export const normaliseNip = (nip: string): string => {
  const check = validateNip(nip);
  return check.valid ? check.nip : nip;
};

/** The only writer of `opd-*` streams. */
@Injectable()
export class OpdCommands {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly facts: Facts,
    private readonly registry: RegistryFacts,
    private readonly membership: OpdMembershipLock,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Registers an OPD whose id and code are both free: the code is claimed first (see RegistryFacts).
   * Under the membership lock of the OPD, its parent and its code: an OPD import is not cut in two. */
  async register(dto: RegisterOpdDto, actor: ActorContext) {
    assertOpdScope(actor, dto.opdId);
    const code = dto.code.trim();
    const scope = {
      opds: [dto.opdId, ...(dto.parentOpdId ? [dto.parentOpdId] : [])],
      codes: [normaliseOpdCode(code)],
    };
    return this.membership.change(scope, () => this.registerHeld(dto, code, actor));
  }

  private async registerHeld(dto: RegisterOpdDto, code: string, actor: ActorContext) {
    const parentActive = dto.parentOpdId
      ? (await this.facts.opdFact(dto.parentOpdId)) === 'active'
      : false;
    const command: RegisterOpd = {
      type: 'RegisterOpd',
      data: { ...dto, code, regionCode: dto.regionCode ?? this.config.regionCode },
      context: { parentActive },
      metadata: commandMetadata(actor, this.clock.moment()),
    };
    const stream = streams.opd(dto.opdId);
    // A taken id or a missing parent is refused before the code is claimed, so a refused registration
    // leaves no claim behind.
    opdDecider.decide(command, (await this.aggregates.load(stream, opdDecider)).state);
    await this.registry.claimCode(code, dto.opdId, command.metadata);
    const { position } = await this.aggregates.handle(stream, opdDecider, command);
    return written({ opdId: dto.opdId }, position);
  }

  /**
   * An OPD of a roster import (RosterImport has validated the whole file, holding the membership lock of
   * its OPDs and codes: a parent is active in the registry or in the file, written first). The code is
   * claimed as `register` claims it; `registry` is the import's snapshot, read under that lock, so the
   * claim does not read the registry again per row.
   */
  async registerImported(
    data: RegisterOpd['data'],
    metadata: CommandMetadata,
    registry: ReadonlyMap<string, RegisteredOpd>,
  ): Promise<bigint | null> {
    await this.registry.claimCode(data.code, data.opdId, metadata, registry);
    const { position } = await this.aggregates.handle(streams.opd(data.opdId), opdDecider, {
      type: 'RegisterOpd',
      data,
      context: { parentActive: true },
      metadata,
    });
    return position;
  }

  /** Checked and written under the membership lock of the OPD and the appointee: the appointee cannot move
   * out in between, and a pledge of theirs lands before or after, in the role it records. */
  async appointHead(opdId: string, nip: string, actor: ActorContext) {
    const bare = normaliseNip(nip);
    return this.membership.change({ opds: [opdId], asns: [bare] }, async () => {
      const asn = await this.facts.asn(bare);
      return this.handle(opdId, actor, {
        type: 'AppointOpdHead',
        data: { opdId, nip: bare },
        context: {
          asn:
            asn.status === 'active'
              ? { status: 'active', opdId: asn.opdId }
              : { status: asn.status },
          sittingHead: await this.facts.sittingHead(opdId),
        },
      });
    });
  }

  rename(opdId: string, name: string, actor: ActorContext) {
    return this.handle(opdId, actor, { type: 'RenameOpd', data: { opdId, name } });
  }

  /** Refused while ASN are still active in the OPD: they are transferred (or recorded as left) first.
   * Counted and written under the OPD's membership lock, so no enrolment or move into it lands between. */
  async dissolve(opdId: string, reason: string, actor: ActorContext) {
    return this.membership.change({ opds: [opdId] }, async () =>
      this.handle(opdId, actor, {
        type: 'DissolveOpd',
        data: { opdId, reason },
        context: { activeAsn: await this.registry.activeAsnIn(opdId) },
      }),
    );
  }

  private async handle(opdId: string, actor: ActorContext, command: Unstamped<OpdCommand>) {
    assertOpdScope(actor, opdId);
    const { position } = await this.aggregates.handle(streams.opd(opdId), opdDecider, {
      ...command,
      metadata: commandMetadata(actor, this.clock.moment()),
    });
    return written({ opdId }, position);
  }
}

/** The only writer of `asn-*` streams. */
@Injectable()
export class AsnCommands {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly facts: Facts,
    private readonly membership: OpdMembershipLock,
    private readonly clock: Clock,
  ) {}

  /** Enrolment and a move check that the OPD they join is active and write under its membership lock, so
   * the OPD cannot be dissolved between the check and the append; and under the ASN's, so an import
   * writing the same NIP is not cut in two. */
  async enroll(dto: EnrollAsnDto, actor: ActorContext) {
    assertOpdScope(actor, dto.opdId);
    const nip = normaliseNip(dto.nip);
    return this.membership.change({ opds: [dto.opdId], asns: [nip] }, async () => {
      // Officials know OPDs by name: a NIP already enrolled is refused naming where. The stream read
      // for that is the one the command is decided on.
      const known = await this.aggregates.load(streams.asn(nip), asnDecider);
      const enrolledIn =
        known.state.status === 'none' ? undefined : await this.opdName(known.state.opdId);
      return this.handle(
        nip,
        actor,
        {
          type: 'EnrollAsn',
          data: { ...dto, nip },
          context: { opd: await this.facts.opdFact(dto.opdId), enrolledIn },
        },
        known,
      );
    });
  }

  /**
   * One row of a roster import: enrolment, or for an enrolled ASN a new position and/or a move. RosterImport
   * has validated the whole file and holds the membership locks of the OPDs it adds to and leaves. The first
   * command decides on `known` (the import's one scan of the ASN streams, not a read per row); a second one
   * reloads the stream it extends. The position of the last event written (null when nothing changed).
   */
  async applyImported(
    nip: string,
    commands: readonly AsnCommand[],
    known: Loaded<Asn>,
  ): Promise<bigint | null> {
    let last: bigint | null = null;
    for (const [i, command] of commands.entries()) {
      const { position } = await this.aggregates.handle(
        streams.asn(nip),
        asnDecider,
        command,
        i === 0 ? { known } : {},
      );
      last = position ?? last;
    }
    return last;
  }

  /** A move holds the lock of the OPD it leaves too: its head cannot be appointed as they move out. */
  async transfer(nip: string, toOpdId: string, actor: ActorContext) {
    assertOpdScope(actor, toOpdId);
    return this.holdingOwnOpd(nip, [toOpdId], async (known) =>
      this.handle(
        normaliseNip(nip),
        actor,
        {
          type: 'TransferAsn',
          data: { toOpdId },
          context: {
            opd: await this.facts.opdFact(toOpdId),
            opdName: await this.opdName(toOpdId),
          },
        },
        known,
      ),
    );
  }

  /** A corrected or updated name or position; the NIP and employment type never change. Under the ASN's
   * membership lock: an import writing them is not cut in two. */
  async changeDetails(
    nip: string,
    change: { name?: string; position?: string; reason: string },
    actor: ActorContext,
  ) {
    const bare = normaliseNip(nip);
    return this.membership.change({ asns: [bare] }, () =>
      this.handle(bare, actor, { type: 'ChangeAsnDetails', data: change }),
    );
  }

  async recordLeft(nip: string, reason: string, actor: ActorContext) {
    return this.holdingOwnOpd(nip, [], (known) =>
      this.handle(normaliseNip(nip), actor, { type: 'RecordAsnLeft', data: { reason } }, known),
    );
  }

  /**
   * Runs `work` holding the membership lock of the ASN, then of the OPD they are active in (and `others`),
   * with the ASN's stream as read under the first: every move of one ASN holds it, so the OPD read is the
   * one they are still in when `work` appends.
   */
  private holdingOwnOpd<T>(
    nip: string,
    others: string[],
    work: (known: Loaded<Asn>) => Promise<T>,
  ) {
    const bare = normaliseNip(nip);
    return this.membership.change({ asns: [bare] }, async () => {
      const known = await this.aggregates.load(streams.asn(bare), asnDecider);
      const own = known.state.status === 'active' ? [known.state.opdId] : [];
      return this.membership.change({ opds: [...others, ...own] }, () => work(known));
    });
  }

  private async opdName(opdId: string): Promise<string | undefined> {
    const opd = await this.facts.opd(opdId);
    return opd.status === 'none' ? undefined : opd.name;
  }

  /** `known`: the ASN's stream as the caller just read it, so it is not read again. */
  private async handle(
    nip: string,
    actor: ActorContext,
    command: Unstamped<AsnCommand>,
    known?: Loaded<Asn>,
  ) {
    if (actor.role === 'OPD_HEAD') {
      // Whatever the route: an OPD head changes only their own OPD's staff (read only for them).
      const asn = known?.state ?? (await this.facts.asn(nip));
      if (asn.status !== 'none') {
        assertOpdScope(actor, asn.opdId);
      }
    }
    const { position } = await this.aggregates.handle(
      streams.asn(nip),
      asnDecider,
      { ...command, metadata: commandMetadata(actor, this.clock.moment()) },
      known ? { known } : {},
    );
    return written({ nip }, position);
  }
}
