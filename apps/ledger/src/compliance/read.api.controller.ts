import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { complianceCsv, missingPledgesCsv } from './csv';
import { CasesQuery, ComplianceQuery, ElectionQuery, ReadQuery, RosterQuery } from './read.dto';
import { ReadSide } from './read-side';

const page = (q: { page?: number; pageSize?: number }) => ({
  page: q.page ?? 1,
  pageSize: q.pageSize ?? 50,
});

const pageOf = <T>(rows: T[], q: { page?: number; pageSize?: number }) => {
  const { page: p, pageSize } = page(q);
  return { total: rows.length, items: rows.slice((p - 1) * pageSize, p * pageSize) };
};

/** The query routes. The OPD scope is applied by `this.read.for(actor)`, not here. */
@ApiTags('compliance')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ReadApiController {
  constructor(private readonly read: ReadSide) {}

  @Get('compliance')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiOkResponse({
    description: '{ total, items: [compliance row] }; Kepala OPD hanya melihat OPD-nya',
  })
  async compliance(@Query() q: ComplianceQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    const rows = this.read.for(actor).complianceTable(q.electionId, this.read.today(), q);
    return { electionId: q.electionId, asOf: this.read.today(), ...pageOf(rows, q) };
  }

  @Get('compliance/summary')
  @Roles('ADMIN', 'BAWASLU', 'HR')
  async summary(@Query() q: ElectionQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    const queries = this.read.for(actor);
    queries.requireElection(q.electionId);
    return { ...queries.summary(q.electionId, this.read.today()), asOf: this.read.today() };
  }

  @Get('compliance/export')
  @Roles('ADMIN', 'BAWASLU', 'HR')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async complianceCsv(
    @Query() q: ComplianceQuery,
    @Actor() actor: ActorContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.read.ready(q.minPosition);
    const rows = this.read.for(actor).complianceTable(q.electionId, this.read.today(), q);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="kepatuhan-${q.electionId}-${this.read.today()}.csv"`,
    );
    return complianceCsv(rows);
  }

  @Get('opds/:opdId/compliance')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  async opdCompliance(
    @Param('opdId') opdId: string,
    @Query() q: ElectionQuery,
    @Actor() actor: ActorContext,
  ) {
    await this.read.ready(q.minPosition);
    const row = this.read.for(actor).opdCompliance(q.electionId, opdId, this.read.today());
    return { ...row, asOf: this.read.today() };
  }

  @Get('pledges')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiOkResponse({ description: 'Daftar ASN satu OPD: siapa sudah, siapa belum, siapa terlambat' })
  async roster(@Query() q: RosterQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    return this.read.for(actor).opdRoster(q.electionId, q.opdId, q.filter ?? 'all', page(q));
  }

  @Get('pledges/missing')
  @Roles('ADMIN', 'BAWASLU', 'HR')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async missingCsv(
    @Query() q: RosterQuery,
    @Actor() actor: ActorContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.read.ready(q.minPosition);
    const rows = this.read.for(actor).missingPledges(q.electionId, this.read.today(), q.opdId);
    res.setHeader('Content-Disposition', `attachment; filename="belum-pakta-${q.electionId}.csv"`);
    return missingPledgesCsv(rows);
  }

  @Get('cases')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiOkResponse({ description: 'Registri kasus dengan jam SLA; yang terlambat lebih dulu' })
  async cases(@Query() q: CasesQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    return {
      asOf: this.read.today(),
      ...this.read.for(actor).cases(q, this.read.today(), page(q)),
    };
  }

  @Get('cases/:caseId')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  async caseDetail(
    @Param('caseId') caseId: string,
    @Query() q: ReadQuery,
    @Actor() actor: ActorContext,
  ) {
    await this.read.ready(q.minPosition);
    return this.read.for(actor).requireCase(caseId, this.read.today());
  }

  @Get('projections/status')
  @Roles('ADMIN', 'BAWASLU')
  status() {
    return this.read.runner.status();
  }
}
