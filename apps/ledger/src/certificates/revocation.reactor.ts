import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { caseDecider, DomainError, streams } from '@netral/domain';
import { EventStore, type RecordedEvent } from '@netral/event-store';
import { ReadSide } from '../compliance/read-side';
import { systemActor } from '../identity/user.commands';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { EventFollower } from '../infrastructure/event-follower';
import { Startup } from '../infrastructure/startup';
import { CertificateService } from './certificate.service';

/**
 * When a violation is confirmed, every valid certificate of that election whose subject is the ASN or the
 * ASN's OPD, issued before the confirmation, is revoked with the case id. Replaying the log (each start)
 * decides the same revocations, and already-revoked certificates are skipped, so it is idempotent.
 */
@Injectable()
export class RevocationReactor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationReactor');
  private readonly follower: EventFollower;

  constructor(
    store: EventStore,
    private readonly aggregates: AggregateStore,
    private readonly read: ReadSide,
    private readonly certificates: CertificateService,
    private readonly startup: Startup,
  ) {
    this.follower = new EventFollower(
      'certificate-revocation',
      store,
      { eventTypeRegex: '^ViolationConfirmed$' },
      (event) => this.react(event),
    );
  }

  onModuleInit(): void {
    this.startup.track('certificate revocation', this.follower.start());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower.stop();
  }

  waitFor(position: bigint): Promise<void> {
    return this.follower.waitFor(position);
  }

  private async react(event: RecordedEvent): Promise<void> {
    const caseId = (event.data as { caseId: string }).caseId;
    const { state } = await this.aggregates.load(streams.case(caseId), caseDecider);
    if (state.status === 'none') {
      return;
    }
    await this.read.ready(String(event.position));
    for (const certificate of this.read.unscoped.certificatesToRevoke(
      state.electionId,
      state.nip,
      state.opdId,
      event.position,
    )) {
      try {
        await this.certificates.revoke(
          certificate.certificate_id,
          `Pelanggaran netralitas terbukti (kasus ${caseId})`,
          {
            ...systemActor(),
            correlationId: (event.metadata as { correlationId?: string }).correlationId ?? caseId,
          },
          caseId,
          event.id,
        );
        this.logger.log(`certificate ${certificate.certificate_id} revoked after case ${caseId}`);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'CERTIFICATE_ALREADY_REVOKED')) {
          throw error;
        }
      }
    }
  }
}
