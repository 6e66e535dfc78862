import { Controller, Get, Header, NotFoundException, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { StoredCheckpoint } from '@netral/transparency-log';
import type { Response } from 'express';
import { NoBodyRoute } from '../common/body-type.guard';
import { Public, Roles } from '../identity/roles.decorator';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import {
  AuditEventsQuery,
  CheckpointsQuery,
  ConsistencyQuery,
  ExportQuery,
  InclusionQuery,
} from './audit.dto';
import { AuditLog, streamExport } from './audit-log.service';
import { AuditQueries } from './audit.queries';

const signed = (checkpoint: StoredCheckpoint | undefined): StoredCheckpoint => {
  if (!checkpoint) {
    throw new NotFoundException({
      code: 'NO_CHECKPOINT',
      message: 'Belum ada checkpoint: log masih kosong.',
    });
  }
  return checkpoint;
};

@ApiTags('audit')
@Controller({ path: 'audit', version: '1' })
export class AuditApiController {
  constructor(
    private readonly audit: AuditLog,
    private readonly queries: AuditQueries,
  ) {}

  @Get('events')
  @Roles('BAWASLU', 'ADMIN')
  @ApiBearerAuth()
  @ApiOkResponse({
    description:
      '{ items: [{ position, leafIndex, streamId, revision, type, data, metadata, recorded }], nextPosition }',
  })
  events(@Query() query: AuditEventsQuery, @Actor() actor: ActorContext) {
    return this.queries.events(query, actor);
  }

  @Get('export')
  @Roles('BAWASLU', 'ADMIN')
  @ApiBearerAuth()
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'NDJSON: baris i = byte kanonis daun i (yang di-hash)' })
  export(
    @Query() query: ExportQuery,
    @Actor() actor: ActorContext,
    @Res() res: Response,
  ): Promise<void> {
    const { from, to } = this.queries.exportRange(actor, query.from, query.to);
    return streamExport(this.audit, res, from, to);
  }

  @Get('checkpoint')
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  checkpoint(): string {
    return signed(this.audit.log.latestCheckpoint() ?? this.audit.checkpointNow()).note;
  }

  @Get('checkpoints')
  @Public()
  @ApiOkResponse({
    description:
      'Setiap checkpoint yang pernah ditandatangani, terbaru lebih dulu: { items: [{ treeSize, rootHash, note, createdAt }], next } (next: nilai `before` halaman berikutnya, null di akhir)',
  })
  checkpoints(@Query() query: CheckpointsQuery) {
    const limit = query.limit ?? 100;
    const items = this.audit.log.checkpoints(limit, query.before);
    return { items, next: items.length === limit ? items[items.length - 1].treeSize : null };
  }

  /** On demand: Bawaslu or an admin asks for a checkpoint of everything logged now (e.g. before archiving). */
  @Post('checkpoints')
  @Roles('BAWASLU', 'ADMIN')
  @NoBodyRoute()
  @ApiBearerAuth()
  @ApiCreatedResponse({
    description: 'Checkpoint terbaru setelah menandatangani semua yang sudah tercatat',
  })
  @ApiBadRequestResponse({
    description: 'BODY_NOT_EXPECTED: rute ini tidak menerima isi (selain {})',
  })
  async sign() {
    return signed(await this.audit.signEverything());
  }

  @Get('proofs/inclusion')
  @Public()
  @ApiOkResponse({ description: '{ index, treeSize, leafHash, hashes: [base64…] }' })
  inclusion(@Query() query: InclusionQuery) {
    return this.queries.inclusion(query.index, query.treeSize);
  }

  @Get('proofs/consistency')
  @Public()
  @ApiOkResponse({ description: '{ from, to, hashes: [base64…] }' })
  consistency(@Query() query: ConsistencyQuery) {
    return this.queries.consistency(query.from, query.to);
  }

  @Get('public-key')
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  publicKey(): string {
    return `${this.audit.verifierKey}\n`;
  }
}
