import { Controller, Get, Header, NotFoundException, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, Roles } from '../identity/roles.decorator';
import { AuditEventsQuery, ConsistencyQuery, ExportQuery, InclusionQuery } from './audit.dto';
import { AuditLog, streamExport } from './audit-log.service';
import { AuditQueries } from './audit.queries';

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
  events(@Query() query: AuditEventsQuery) {
    return this.queries.events(query);
  }

  @Get('export')
  @Roles('BAWASLU', 'ADMIN')
  @ApiBearerAuth()
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'NDJSON: baris i = byte kanonis daun i (yang di-hash)' })
  export(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    return streamExport(this.audit, res, query.from, query.to);
  }

  @Get('checkpoint')
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  checkpoint(): string {
    const latest = this.audit.log.latestCheckpoint() ?? this.audit.checkpointNow();
    if (!latest) {
      throw new NotFoundException({
        code: 'NO_CHECKPOINT',
        message: 'Belum ada checkpoint: log masih kosong.',
      });
    }
    return latest.note;
  }

  @Get('checkpoints')
  @Public()
  @ApiOkResponse({
    description: '{ items: [{ treeSize, rootHash, note, createdAt }] } terbaru lebih dulu',
  })
  checkpoints() {
    return { items: this.audit.log.checkpoints(1000) };
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
