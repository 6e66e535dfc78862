import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AuditLog } from '../audit/audit-log.service';
import { Public } from '../identity/roles.decorator';
import { Startup } from '../infrastructure/startup';
import { EventStoreHealthIndicator } from './event-store.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly audit: AuditLog,
    private readonly startup: Startup,
  ) {}

  /** 200 with each dependency's state, or 503 when one is down: the event store, startup (down until the
   * followers have caught up and the first steps are done, with what it still waits for), and the
   * transparency log builder (down once it has refused to go on, so a stalled audit trail is never silent). */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.eventStore.check(),
      () => {
        const { status, details } = this.startup.health();
        const check = this.indicator.check('startup');
        return status === 'up' ? check.up(details) : check.down(details);
      },
      () => {
        const { status, details } = this.audit.health();
        const check = this.indicator.check('transparencyLog');
        return status === 'up' ? check.up(details) : check.down(details);
      },
    ]);
  }
}
