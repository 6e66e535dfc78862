import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import { Roles } from '../identity/roles.decorator';
import { AsnCommands, OpdCommands } from './registry.commands';
import {
  AppointHeadDto,
  EnrollAsnDto,
  ReasonDto,
  RegisterOpdDto,
  RenameOpdDto,
  TransferAsnDto,
} from './registry.dto';

@ApiTags('registry')
@ApiBearerAuth()
@Controller({ path: 'opds', version: '1' })
export class OpdsApiController {
  constructor(private readonly opds: OpdCommands) {}

  @Post()
  @Roles('HR', 'ADMIN')
  @ApiCreatedResponse({ description: '{ opdId, position }' })
  @ApiNotFoundResponse({ description: 'PARENT_OPD_NOT_FOUND' })
  @ApiConflictResponse({ description: 'OPD_ALREADY_EXISTS' })
  register(@Body() dto: RegisterOpdDto, @Actor() actor: ActorContext) {
    return this.opds.register(dto, actor);
  }

  @Post(':opdId/head')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description: '{ opdId, position } (position null when this ASN already heads the OPD)',
  })
  @ApiConflictResponse({ description: 'ASN_NOT_IN_OPD, OPD_DISSOLVED' })
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
  rename(@Param('opdId') opdId: string, @Body() dto: RenameOpdDto, @Actor() actor: ActorContext) {
    return this.opds.rename(opdId, dto.name, actor);
  }

  @Post(':opdId/dissolution')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  dissolve(@Param('opdId') opdId: string, @Body() dto: ReasonDto, @Actor() actor: ActorContext) {
    return this.opds.dissolve(opdId, dto.reason, actor);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller({ path: 'asn', version: '1' })
export class AsnApiController {
  constructor(private readonly asn: AsnCommands) {}

  @Post()
  @Roles('HR', 'ADMIN')
  @ApiCreatedResponse({ description: '{ nip, position }' })
  @ApiBadRequestResponse({
    description: 'NIP_FORMAT, NIP_BIRTH_DATE, NIP_APPOINTMENT, NIP_GENDER, NIP_SEQUENCE …',
  })
  @ApiConflictResponse({ description: 'ASN_ALREADY_ENROLLED, OPD_DISSOLVED' })
  enroll(@Body() dto: EnrollAsnDto, @Actor() actor: ActorContext) {
    return this.asn.enroll(dto, actor);
  }

  @Post(':nip/transfer')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  transfer(@Param('nip') nip: string, @Body() dto: TransferAsnDto, @Actor() actor: ActorContext) {
    return this.asn.transfer(nip, dto.toOpdId, actor);
  }

  @Post(':nip/departure')
  @Roles('HR', 'ADMIN')
  @HttpCode(200)
  departure(@Param('nip') nip: string, @Body() dto: ReasonDto, @Actor() actor: ActorContext) {
    return this.asn.recordLeft(nip, dto.reason, actor);
  }
}
