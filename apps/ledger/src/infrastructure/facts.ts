import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import {
  asnDecider,
  type AsnEvent,
  type CaseSla,
  type Election,
  electionDecider,
  type ElectionEvent,
  type OpdFact,
  opdDecider,
  streams,
  vacatesHead,
} from '@netral/domain';
import { EventStore, type RecordedEvent, StreamNotFoundError } from '@netral/event-store';
import { AggregateStore } from './aggregate-store';

/**
 * Facts a command needs from other aggregates, read from their streams at decision time (the write side
 * never trusts a read model that may lag).
 */
@Injectable()
export class Facts {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly store: EventStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private readonly elections = new Map<string, Exclude<Election, { status: 'none' }>>();

  /**
   * A scheduled election, as its stream says. An election's only event is ElectionScheduled, so once found
   * it never changes and is kept (every pledge asks for it): the check below stops compiling the day another
   * election event is added, so this cache is revisited then.
   */
  async election(electionId: string) {
    const known = this.elections.get(electionId);
    if (known) {
      return known;
    }
    const { state } = await this.aggregates.load(streams.election(electionId), electionDecider);
    if (state.status === 'none') {
      return null;
    }
    const onlyScheduled: ElectionEvent['type'] extends 'ElectionScheduled' ? true : never = true;
    if (onlyScheduled && this.elections.size < 10_000) {
      this.elections.set(electionId, state);
    }
    return state;
  }

  async opd(opdId: string) {
    const { state } = await this.aggregates.load(streams.opd(opdId), opdDecider);
    return state;
  }

  async opdFact(opdId: string): Promise<OpdFact> {
    const opd = await this.opd(opdId);
    return opd.status === 'none' ? 'none' : opd.status === 'dissolved' ? 'dissolved' : 'active';
  }

  /**
   * The OPD's head in office: the ASN of its last `OpdHeadAppointed`, unless an event of their stream
   * after that appointment (by global position) ended the term (`vacatesHead`: moved out, or left); null
   * when the post is vacant. Two short backward reads.
   */
  async sittingHead(opdId: string): Promise<string | null> {
    const appointed = await this.lastEvent(
      streams.opd(opdId),
      (e) => e.type === 'OpdHeadAppointed',
    );
    if (!appointed) {
      return null;
    }
    const nip = String(appointed.data.nip);
    const ended = await this.lastEvent(
      streams.asn(nip),
      (e) => vacatesHead({ type: e.type, data: e.data } as AsnEvent, opdId),
      appointed.position,
    );
    return ended ? null : nip;
  }

  /** The newest event of `streamId` matching `match`, looking back no further than `after` (exclusive). */
  private async lastEvent(
    streamId: string,
    match: (event: RecordedEvent) => boolean,
    after = -1n,
  ): Promise<RecordedEvent | undefined> {
    try {
      for await (const event of this.store.readStream(streamId, { direction: 'backwards' })) {
        if (event.position <= after) {
          return undefined;
        }
        if (match(event)) {
          return event;
        }
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) {
        throw error;
      }
    }
    return undefined;
  }

  async asn(nip: string) {
    const { state } = await this.aggregates.load(streams.asn(nip), asnDecider);
    return state;
  }

  get sla(): CaseSla {
    return this.config.sla;
  }
}
