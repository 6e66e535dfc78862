import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventStore } from '@netral/event-store';

@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly store: EventStore,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'eventStore') {
    const check = this.indicator.check(key);
    const health = await this.store.health();
    const details = { adapter: health.adapter, ...health.details };
    return health.status === 'up' ? check.up(details) : check.down(details);
  }
}
