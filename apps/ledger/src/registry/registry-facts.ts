import { Injectable } from '@nestjs/common';
import {
  type Asn,
  asnDecider,
  type AsnEvent,
  type CommandMetadata,
  normaliseOpdCode,
  type Opd,
  opdCodeDecider,
  opdDecider,
  type OpdEvent,
  type RegisteredOpd,
  streams,
} from '@netral/domain';
import { EventStore } from '@netral/event-store';
import { AggregateStore, type Loaded } from '../infrastructure/aggregate-store';

/**
 * Registry-wide facts the write side decides on, folded from the streams themselves (never from a read model
 * that may lag): every OPD, and the ASN active in one OPD. One scan each; a regency has tens of OPDs and a
 * province some hundreds, and these are read for registrations and dissolutions, not for every pledge.
 */
@Injectable()
export class RegistryFacts {
  constructor(
    private readonly store: EventStore,
    private readonly aggregates: AggregateStore,
  ) {}

  /** Every registered OPD (active or dissolved) by id. */
  async opds(): Promise<Map<string, RegisteredOpd>> {
    const states = new Map<string, Opd>();
    for await (const event of this.store.readAll({ filter: { streamPrefixes: ['opd-'] } })) {
      const opdId = (event.data as { opdId: string }).opdId;
      states.set(
        opdId,
        opdDecider.evolve(states.get(opdId) ?? opdDecider.initialState(), {
          type: event.type,
          data: event.data,
        } as OpdEvent),
      );
    }
    const registry = new Map<string, RegisteredOpd>();
    for (const state of states.values()) {
      if (state.status !== 'none') {
        const { opdId, code, name, status } = state;
        registry.set(opdId, { opdId, code, name, status });
      }
    }
    return registry;
  }

  /** The ASN by NIP with their stream revisions, folded from one scan of the `asn-*` streams: every ASN,
   * or only those of `nips`. */
  async asn(nips?: ReadonlySet<string>): Promise<Map<string, Loaded<Asn>>> {
    const states = new Map<string, Loaded<Asn>>();
    for await (const event of this.store.readAll({ filter: { streamPrefixes: ['asn-'] } })) {
      const nip = event.streamId.slice('asn-'.length);
      if (!nips || nips.has(nip)) {
        const state = states.get(nip)?.state ?? asnDecider.initialState();
        states.set(nip, {
          state: asnDecider.evolve(state, { type: event.type, data: event.data } as AsnEvent),
          revision: event.revision,
        });
      }
    }
    return states;
  }

  /** The store's last position (null while it is empty): `asnWrittenAfter` tells what came after it. */
  head(): Promise<bigint | null> {
    return this.store.headPosition();
  }

  /** Those of `nips` whose ASN stream has an event after `position` (a `head()`; null: from the start). */
  async asnWrittenAfter(position: bigint | null, nips: ReadonlySet<string>): Promise<Set<string>> {
    const written = new Set<string>();
    const events = this.store.readAll({
      fromPosition: position ?? 'start',
      filter: { streamPrefixes: ['asn-'] },
    });
    for await (const event of events) {
      const nip = event.streamId.slice('asn-'.length);
      if ((position === null || event.position > position) && nips.has(nip)) {
        written.add(nip);
      }
    }
    return written;
  }

  /** How many ASN are enrolled and active in `opdId` now. */
  async activeAsnIn(opdId: string): Promise<number> {
    let count = 0;
    for (const { state } of (await this.asn()).values()) {
      if (state.status === 'active' && state.opdId === opdId) {
        count += 1;
      }
    }
    return count;
  }

  /**
   * Takes `code` for `opdId` on its `opdcode-*` stream before the OPD is registered: of two registrations
   * with one code, one appends the claim and the other, retrying on the revision it lost, finds it and is
   * refused (OPD_CODE_TAKEN, 409). `registry` is the OPD registry as just read (defaults to a fresh read).
   */
  async claimCode(
    code: string,
    opdId: string,
    metadata: CommandMetadata,
    registry?: ReadonlyMap<string, RegisteredOpd>,
  ): Promise<void> {
    await this.aggregates.handle(streams.opdCode(normaliseOpdCode(code)), opdCodeDecider, {
      type: 'ClaimOpdCode',
      data: { code, opdId },
      context: { registry: registry ?? (await this.opds()) },
      metadata,
    });
  }
}
