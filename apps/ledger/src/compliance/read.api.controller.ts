import { Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { invalid } from '@netral/domain';
import type { Response } from 'express';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { assertOpdScope, scopedOpdId } from '../identity/opd-scope';
import { Roles } from '../identity/roles.decorator';
import { complianceCsv, type CsvValue, toCsv } from './csv';
import { CasesQuery, ComplianceQuery, ElectionQuery, ReadQuery, RosterQuery } from './read.dto';
import { ReadSide } from './read-side';

const STATUS_ORDER = { TIDAK_PATUH: 0, PERLU_TINDAK_LANJUT: 1, PATUH: 2 } as const;
const page = (q: { page?: number; pageSize?: number }) => ({
  page: q.page ?? 1,
  pageSize: q.pageSize ?? 50,
});

@ApiTags('compliance')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ReadApiController {
  constructor(private readonly read: ReadSide) {}

  private election(electionId: string) {
    const election = this.read.queries.election(electionId);
    if (!election) {
      throw new NotFoundException({
        code: 'ELECTION_NOT_FOUND',
        message: `Pemilihan ${electionId} tidak ditemukan.`,
      });
    }
    return election;
  }

  private complianceRows(q: ComplianceQuery, actor: ActorContext) {
    this.election(q.electionId);
    const rows = this.read.queries
      .compliance(q.electionId, this.read.today(), scopedOpdId(actor))
      .filter((r) => q.status === undefined || r.status === q.status);
    const sort = q.sort ?? 'status';
    rows.sort((a, b) =>
      sort === 'name'
        ? a.opdName.localeCompare(b.opdName)
        : sort === 'coverage'
          ? a.coverage - b.coverage || a.opdName.localeCompare(b.opdName)
          : STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
            a.coverage - b.coverage ||
            a.opdName.localeCompare(b.opdName),
    );
    return rows;
  }

  @Get('compliance')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiOkResponse({
    description: '{ total, items: [compliance row] }; Kepala OPD hanya melihat OPD-nya',
  })
  async compliance(@Query() q: ComplianceQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    const rows = this.complianceRows(q, actor);
    const { page: p, pageSize } = page(q);
    return {
      electionId: q.electionId,
      asOf: this.read.today(),
      total: rows.length,
      items: rows.slice((p - 1) * pageSize, p * pageSize),
    };
  }

  @Get('compliance/summary')
  @Roles('ADMIN', 'BAWASLU', 'HR')
  async summary(@Query() q: ElectionQuery) {
    await this.read.ready(q.minPosition);
    this.election(q.electionId);
    return {
      ...this.read.queries.summary(q.electionId, this.read.today()),
      asOf: this.read.today(),
    };
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
    const rows = this.complianceRows(q, actor);
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
    assertOpdScope(actor, opdId);
    await this.read.ready(q.minPosition);
    this.election(q.electionId);
    const [row] = this.read.queries.compliance(q.electionId, this.read.today(), opdId);
    if (!row) {
      throw new NotFoundException({
        code: 'OPD_NOT_FOUND',
        message: `OPD ${opdId} tidak ditemukan.`,
      });
    }
    return { ...row, asOf: this.read.today() };
  }

  @Get('pledges')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiOkResponse({ description: 'Daftar ASN satu OPD: siapa sudah, siapa belum, siapa terlambat' })
  async roster(@Query() q: RosterQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    const opdId = scopedOpdId(actor, q.opdId);
    if (!opdId) {
      throw invalid('OPD_REQUIRED', 'Sebutkan OPD (opdId).', [
        { field: 'opdId', reason: 'wajib diisi', code: 'OPD_REQUIRED' },
      ]);
    }
    this.election(q.electionId);
    return {
      electionId: q.electionId,
      opdId,
      ...this.read.queries.roster(q.electionId, opdId, q.filter ?? 'all', page(q)),
    };
  }

  @Get('pledges/missing')
  @Roles('ADMIN', 'BAWASLU', 'HR')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async missingCsv(@Query() q: RosterQuery, @Res({ passthrough: true }) res: Response) {
    await this.read.ready(q.minPosition);
    this.election(q.electionId);
    const opds = q.opdId
      ? [q.opdId]
      : this.read.queries.compliance(q.electionId, this.read.today()).map((r) => r.opdId);
    const rows: CsvValue[][] = [];
    for (const opdId of opds) {
      const opd = this.read.queries.opd(opdId);
      for (const asn of this.read.queries.roster(q.electionId, opdId, 'missing', {
        page: 1,
        pageSize: 1_000_000,
      }).items) {
        rows.push([opd?.code, opd?.name, asn.nip, asn.name, asn.position, asn.employmentType]);
      }
    }
    res.setHeader('Content-Disposition', `attachment; filename="belum-pakta-${q.electionId}.csv"`);
    return toCsv(['Kode OPD', 'OPD', 'NIP', 'Nama', 'Jabatan', 'Jenis ASN'], rows);
  }

  @Get('cases')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiOkResponse({ description: 'Registri kasus dengan jam SLA; yang terlambat lebih dulu' })
  async cases(@Query() q: CasesQuery, @Actor() actor: ActorContext) {
    await this.read.ready(q.minPosition);
    const opdId = scopedOpdId(actor, q.opdId);
    return {
      asOf: this.read.today(),
      ...this.read.queries.cases({ ...q, ...(opdId ? { opdId } : {}) }, this.read.today(), page(q)),
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
    const detail = this.read.queries.caseDetail(caseId, this.read.today());
    if (!detail) {
      throw new NotFoundException({
        code: 'CASE_NOT_FOUND',
        message: `Kasus ${caseId} tidak ditemukan.`,
      });
    }
    assertOpdScope(actor, detail.opdId);
    return detail;
  }

  @Get('projections/status')
  @Roles('ADMIN', 'BAWASLU')
  status() {
    return this.read.runner.status();
  }
}
