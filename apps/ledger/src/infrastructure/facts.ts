import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import {
  asnDecider,
  type CaseSla,
  electionDecider,
  type OpdFact,
  opdDecider,
  streams,
} from '@netral/domain';
import { AggregateStore } from './aggregate-store';

/**
 * Facts a command needs from other aggregates, read from their streams at decision time (the write side
 * never trusts a read model that may lag).
 */
@Injectable()
export class Facts {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async election(electionId: string) {
    const { state } = await this.aggregates.load(streams.election(electionId), electionDecider);
    return state.status === 'none' ? null : state;
  }

  async opd(opdId: string) {
    const { state } = await this.aggregates.load(streams.opd(opdId), opdDecider);
    return state;
  }

  async opdFact(opdId: string): Promise<OpdFact> {
    const opd = await this.opd(opdId);
    return opd.status === 'none' ? 'none' : opd.status === 'dissolved' ? 'dissolved' : 'active';
  }

  async asn(nip: string) {
    const { state } = await this.aggregates.load(streams.asn(nip), asnDecider);
    return state;
  }

  get sla(): CaseSla {
    return this.config.sla;
  }
}
