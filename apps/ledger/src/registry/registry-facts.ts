import { Injectable } from '@nestjs/common';
import { type Asn, asnDecider, type AsnEvent } from '@netral/domain';
import { EventStore } from '@netral/event-store';

/**
 * Registry-wide facts the write side decides on, folded from the streams themselves (never from a read model
 * that may lag): the ASN active in one OPD, from one scan of the `asn-*` streams, read for dissolutions (rare),
 * not for every pledge.
 */
@Injectable()
export class RegistryFacts {
  constructor(private readonly store: EventStore) {}

  /** How many ASN are enrolled and active in `opdId` now. */
  async activeAsnIn(opdId: string): Promise<number> {
    const states = new Map<string, Asn>();
    for await (const event of this.store.readAll({ filter: { streamPrefixes: ['asn-'] } })) {
      const state = states.get(event.streamId) ?? asnDecider.initialState();
      states.set(
        event.streamId,
        asnDecider.evolve(state, { type: event.type, data: event.data } as AsnEvent),
      );
    }
    let count = 0;
    for (const state of states.values()) {
      if (state.status === 'active' && state.opdId === opdId) {
        count += 1;
      }
    }
    return count;
  }
}
