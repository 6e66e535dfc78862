import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { invalid } from '@netral/domain';
import { EventStore } from '@netral/event-store';
import { ledgerProjection, ProjectionRunner, ReadModelQueries } from '@netral/projections';
import { join } from 'node:path';
import { Clock } from '../common/clock';
import { Startup } from '../infrastructure/startup';
import type { ActorContext } from '../identity/actor';
import { ScopedQueries } from './scoped-queries';

/** The read models' file in the data directory: derived from the events, rebuildable at any time. */
export const READ_MODELS_FILE = 'readmodels.sqlite';

/**
 * The read models (readmodels.sqlite in the data directory, on either event store), kept up to date by the
 * projection runner, and the `minPosition` wait that gives a client its own writes.
 */
@Injectable()
export class ReadSide implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReadSide');
  readonly runner: ProjectionRunner;
  /** Every OPD's data with no OPD scope: only for services acting for the ledger itself (certificate
   * issuing and verification, the revocation reactor), never for answering a person; use `for(actor)`. */
  readonly unscoped: ReadModelQueries;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly startup: Startup,
  ) {
    this.runner = new ProjectionRunner(
      store,
      join(config.dataDir, READ_MODELS_FILE),
      [ledgerProjection],
      {
        onError: (error) => this.logger.error({ err: error }, 'projection runner stopped'),
      },
    );
    this.unscoped = new ReadModelQueries(this.runner.db, config.patuhMinCoveragePercent);
  }

  onModuleInit(): void {
    this.startup.track('read models', this.runner.start());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.runner.close();
  }

  /** The read models as `actor` may see them (an OPD head: their own OPD only). */
  for(actor: ActorContext): ScopedQueries {
    return new ScopedQueries(this.unscoped, actor);
  }

  /** The regency's calendar day (deadlines are days in local time). */
  today(): string {
    return this.clock.today();
  }

  /** Waits (bounded) until the read models include `minPosition`; says so clearly when they do not. A
   * position no write has reached yet is a 400 at once: every write answers with a position already in the
   * log, so waiting for one beyond it would only end in a 503 after the wait. */
  async ready(minPosition?: string): Promise<void> {
    if (minPosition === undefined) {
      return;
    }
    const target = BigInt(minPosition);
    if (await this.aheadOfLog(target)) {
      throw invalid(
        'MIN_POSITION_AHEAD',
        `Posisi ${minPosition} belum pernah ditulis: gunakan posisi dari jawaban sebuah penulisan.`,
        [
          {
            field: 'minPosition',
            reason: 'melebihi posisi terakhir log',
            code: 'MIN_POSITION_AHEAD',
          },
        ],
      );
    }
    await this.waitFor(target);
  }

  /** For pages: `minPosition` as it came in the URL of a redirect; anything but a position the log has
   * reached is ignored, so a hand-edited link shows the page rather than an error. */
  async readyForPage(minPosition: unknown): Promise<void> {
    if (typeof minPosition !== 'string' || !/^\d{1,19}$/.test(minPosition)) {
      return;
    }
    const target = BigInt(minPosition);
    if (!(await this.aheadOfLog(target))) {
      await this.waitFor(target);
    }
  }

  /** Past the last event of the log (the read models' own position answers without asking the store). */
  private async aheadOfLog(target: bigint): Promise<boolean> {
    return (
      target > (this.runner.position ?? -1n) && target > ((await this.store.headPosition()) ?? -1n)
    );
  }

  private async waitFor(target: bigint): Promise<void> {
    if (!(await this.runner.waitFor(target, this.config.minPositionWaitMs))) {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL_BEHIND',
        message: `Tampilan data belum mencapai posisi ${target} (sekarang ${this.runner.position ?? 0}). Coba lagi sebentar lagi.`,
      });
    }
  }
}
