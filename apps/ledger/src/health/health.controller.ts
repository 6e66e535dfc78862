import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../identity/roles.decorator';
import { EventStoreHealthIndicator } from './event-store.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  /** 200 with each dependency's state, or 503 when one is down. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventStore.check()]);
  }
}
