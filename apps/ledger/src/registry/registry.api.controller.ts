import {
  applyDecorators,
  Body,
  Controller,
  HttpCode,
  Param,
  ParseBoolPipe,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Readable } from 'node:stream';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor';
import { UploadRoute } from '../common/body-type.guard';
import { invalid } from '@netral/domain';
import { uploadedFile, type UploadedFileBytes } from '../common/upload';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  type ApiBodyOptions,
  ApiConsumes,
  ApiQuery,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ActorContext } from '../identity/actor';
import { NipParamPipe } from '../common/validators';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { AsnCommands, OpdCommands } from './registry.commands';
import { RosterImport } from './roster-import';
import {
  AppointHeadDto,
  ChangeAsnDetailsDto,
  EnrollAsnDto,
  ReasonDto,
  RegisterOpdDto,
  RenameOpdDto,
  TransferAsnDto,
} from './registry.dto';
import { IDEMPOTENCY, INVALID_INPUT } from '../common/api-responses';

const CSV_LIMIT_BYTES = 20 * 1024 * 1024;

/** An uploaded roster CSV as a stream (see uploadedFile: only the `file` field). */
const uploadedCsv = (file: UploadedFileBytes | undefined, fields: unknown): Readable =>
  Readable.from(
    uploadedFile(file, fields, 'CSV', 'Opsi seperti dryRun ditulis di URL (?dryRun=true).').buffer,
  );

const dryRunPipe = () =>
  new ParseBoolPipe({
    optional: true,
    exceptionFactory: () =>
      invalid('DRY_RUN_INVALID', 'Parameter dryRun harus true atau false.', [
        { field: 'dryRun', reason: 'harus true atau false', code: 'isBoolean' },
      ]),
  });

const CSV_UPLOAD: ApiBodyOptions = {
  schema: {
    type: 'object',
    properties: { file: { type: 'string', format: 'binary' } },
    required: ['file'],
  },
};
/** On streams many requests write (an OPD, an ASN), the bounded retries' own 409. */
const RETRIES = 'CONCURRENT_MODIFICATION: written by others meanwhile, reload and retry';
const NIP_IN_PATH = 'NIP_* di path: NIP tidak valid, dengan alasannya';
const UPLOAD_INVALID =
  'ROSTER_INVALID: details per baris { field: "baris N: kolom", reason, line, column }, nothing ' +
  'written; FILE_REQUIRED; FIELD_UNKNOWN (a form field other than file); DRY_RUN_INVALID; ' +
  'Idempotency-Key: details code idempotencyKeyFormat';
const UPLOAD_CONFLICTS =
  `${IDEMPOTENCY}; a write refused by a change made meanwhile (OPD_CODE_TAKEN, ` +
  'ASN_ALREADY_ENROLLED, ASN_LEFT…): the rows written so far stay, running the import again ' +
  'completes it';

const csvUpload = () =>
  applyDecorators(
    UploadRoute(),
    UseInterceptors(
      FileInterceptor('file', { limits: { fileSize: CSV_LIMIT_BYTES, files: 1 } }),
      IdempotencyInterceptor,
    ),
  );

@ApiTags('registry')
@ApiBearerAuth()
@Controller({ path: 'opds', version: '1' })
export class OpdsApiController {
  constructor(
    private readonly opds: OpdCommands,
    private readonly roster: RosterImport,
  ) {}

  @Post('import')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @csvUpload()
  @ApiConsumes('multipart/form-data')
  @ApiBody(CSV_UPLOAD)
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiOkResponse({
    description:
      'Laporan: { kind: "opds", dryRun, rows, created, transferred: 0, updated: 0, unchanged, ' +
      'errors: [], position } (position null for a dry run or nothing to write)',
    example: {
      kind: 'opds',
      dryRun: false,
      rows: 33,
      created: 33,
      transferred: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
      position: '1842',
    },
  })
  @ApiBadRequestResponse({ description: UPLOAD_INVALID })
  @ApiConflictResponse({ description: UPLOAD_CONFLICTS })
  async importOpds(
    @UploadedFile() file: UploadedFileBytes | undefined,
    @Body() fields: unknown,
    @Query('dryRun', dryRunPipe()) dryRun: boolean | undefined,
    @Actor() actor: ActorContext,
  ) {
    return RosterImport.assertClean(
      await this.roster.importOpds(uploadedCsv(file, fields), actor, { dryRun: dryRun ?? false }),
    );
  }

  @Post()
  @Roles('HR', 'ADMIN')
  @ApiCreatedResponse({
    description: '{ opdId, position }',
    example: { opdId: 'dinas-kesehatan', position: '1842' },
  })
  @ApiBadRequestResponse({ description: INVALID_INPUT })
  @ApiNotFoundResponse({ description: 'PARENT_OPD_NOT_FOUND: unknown or dissolved' })
  @ApiConflictResponse({
    description:
      'OPD_ALREADY_EXISTS; OPD_CODE_TAKEN: the code is held by another active OPD (the message ' +
      `names the code and that OPD); ${IDEMPOTENCY}`,
  })
  register(@Body() dto: RegisterOpdDto, @Actor() actor: ActorContext) {
    return this.opds.register(dto, actor);
  }

  @Post(':opdId/head')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ opdId, position } (position null when this ASN already heads the OPD)',
    example: { opdId: 'dinas-kesehatan', position: '1842' },
  })
  @ApiBadRequestResponse({ description: `NIP_* (nip); ${INVALID_INPUT}` })
  @ApiNotFoundResponse({ description: 'OPD_NOT_FOUND' })
  @ApiConflictResponse({
    description: `ASN_NOT_IN_OPD: not active in the OPD; OPD_DISSOLVED; ${RETRIES}; ${IDEMPOTENCY}`,
  })
  appointHead(
    @Param('opdId') opdId: string,
    @Body() dto: AppointHeadDto,
    @Actor() actor: ActorContext,
  ) {
    return this.opds.appointHead(opdId, dto.nip, actor);
  }

  @Post(':opdId/renaming')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ opdId, position } (position null when the name is unchanged)',
    example: { opdId: 'dinas-kesehatan', position: '1842' },
  })
  @ApiBadRequestResponse({ description: INVALID_INPUT })
  @ApiNotFoundResponse({ description: 'OPD_NOT_FOUND' })
  @ApiConflictResponse({ description: `OPD_DISSOLVED; ${RETRIES}; ${IDEMPOTENCY}` })
  rename(@Param('opdId') opdId: string, @Body() dto: RenameOpdDto, @Actor() actor: ActorContext) {
    return this.opds.rename(opdId, dto.name, actor);
  }

  @Post(':opdId/dissolution')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ opdId, position }',
    example: { opdId: 'dinas-kesehatan', position: '1842' },
  })
  @ApiBadRequestResponse({ description: INVALID_INPUT })
  @ApiNotFoundResponse({ description: 'OPD_NOT_FOUND' })
  @ApiConflictResponse({
    description:
      'OPD_HAS_ACTIVE_ASN: ASN still active there (the message says how many): transfer them or ' +
      `record their departure first; OPD_DISSOLVED; ${RETRIES}; ${IDEMPOTENCY}`,
  })
  dissolve(@Param('opdId') opdId: string, @Body() dto: ReasonDto, @Actor() actor: ActorContext) {
    return this.opds.dissolve(opdId, dto.reason, actor);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller({ path: 'asn', version: '1' })
export class AsnApiController {
  constructor(
    private readonly asn: AsnCommands,
    private readonly roster: RosterImport,
  ) {}

  @Post('import')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @csvUpload()
  @ApiConsumes('multipart/form-data')
  @ApiBody(CSV_UPLOAD)
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiOkResponse({
    description:
      'Laporan: { kind: "asn", dryRun, rows, created, transferred, updated, unchanged, ' +
      'errors: [], position } (position null for a dry run or nothing to write)',
    example: {
      kind: 'asn',
      dryRun: false,
      rows: 600,
      created: 598,
      transferred: 1,
      updated: 1,
      unchanged: 0,
      errors: [],
      position: '1842',
    },
  })
  @ApiBadRequestResponse({ description: UPLOAD_INVALID })
  @ApiConflictResponse({ description: UPLOAD_CONFLICTS })
  async importAsn(
    @UploadedFile() file: UploadedFileBytes | undefined,
    @Body() fields: unknown,
    @Query('dryRun', dryRunPipe()) dryRun: boolean | undefined,
    @Actor() actor: ActorContext,
  ) {
    return RosterImport.assertClean(
      await this.roster.importAsn(uploadedCsv(file, fields), actor, { dryRun: dryRun ?? false }),
    );
  }

  @Post()
  @Roles('HR', 'ADMIN')
  @ApiCreatedResponse({
    description: '{ nip, position }',
    example: { nip: '198503122010011002', position: '1842' },
  })
  @ApiBadRequestResponse({
    description:
      'NIP_FORMAT, NIP_SPREADSHEET_NUMBER, NIP_BIRTH_DATE, NIP_BIRTH_AFTER_APPOINTMENT, NIP_APPOINTMENT, NIP_GENDER, ' +
      `NIP_SEQUENCE (details code, field nip); ${INVALID_INPUT}`,
  })
  @ApiNotFoundResponse({ description: 'OPD_NOT_FOUND' })
  @ApiConflictResponse({
    description: `ASN_ALREADY_ENROLLED; ASN_LEFT (a NIP recorded as having left); OPD_DISSOLVED; ${IDEMPOTENCY}`,
  })
  enroll(@Body() dto: EnrollAsnDto, @Actor() actor: ActorContext) {
    return this.asn.enroll(dto, actor);
  }

  @Post(':nip/transfer')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ nip, position }',
    example: { nip: '198503122010011002', position: '1842' },
  })
  @ApiBadRequestResponse({ description: `${NIP_IN_PATH}; ${INVALID_INPUT}` })
  @ApiNotFoundResponse({ description: 'ASN_NOT_FOUND, OPD_NOT_FOUND' })
  @ApiConflictResponse({
    description: `ASN_ALREADY_IN_OPD, ASN_LEFT, OPD_DISSOLVED; ${RETRIES}; ${IDEMPOTENCY}`,
  })
  transfer(
    @Param('nip', NipParamPipe) nip: string,
    @Body() dto: TransferAsnDto,
    @Actor() actor: ActorContext,
  ) {
    return this.asn.transfer(nip, dto.toOpdId, actor);
  }

  @Post(':nip/details')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ nip, position }',
    example: { nip: '198503122010011002', position: '1842' },
  })
  @ApiBadRequestResponse({
    description:
      'NIP_* di path; nama atau jabatan kosong (paling tidak salah satu), alasan kosong; ' +
      INVALID_INPUT,
  })
  @ApiNotFoundResponse({ description: 'ASN_NOT_FOUND' })
  @ApiConflictResponse({
    description: `ASN_DETAILS_UNCHANGED; ${RETRIES}; ${IDEMPOTENCY}`,
  })
  changeDetails(
    @Param('nip', NipParamPipe) nip: string,
    @Body() dto: ChangeAsnDetailsDto,
    @Actor() actor: ActorContext,
  ) {
    return this.asn.changeDetails(nip, dto, actor);
  }

  @Post(':nip/departure')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ nip, position }',
    example: { nip: '198503122010011002', position: '1842' },
  })
  @ApiBadRequestResponse({ description: `${NIP_IN_PATH}; ${INVALID_INPUT}` })
  @ApiNotFoundResponse({ description: 'ASN_NOT_FOUND' })
  @ApiConflictResponse({
    description: `ASN_LEFT; ${RETRIES}; ${IDEMPOTENCY}`,
  })
  departure(
    @Param('nip', NipParamPipe) nip: string,
    @Body() dto: ReasonDto,
    @Actor() actor: ActorContext,
  ) {
    return this.asn.recordLeft(nip, dto.reason, actor);
  }
}
