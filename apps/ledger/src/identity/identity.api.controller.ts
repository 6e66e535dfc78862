import { Body, Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiUnauthorizedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { ActorContext } from './actor';
import { Actor } from './actor.decorator';
import { AuthService, publicUser } from './auth.service';
import {
  ChangeRoleDto,
  CreateUserDto,
  DeactivateUserDto,
  LoginDto,
  SetPasswordDto,
} from './dto/identity.dto';
import { Public, Roles } from './roles.decorator';
import { UserCommands } from './user.commands';
import { UserDirectory } from './user-directory';

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthApiController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @ApiOkResponse({ description: '{ accessToken, tokenType: "Bearer", expiresIn, user }' })
  @ApiUnauthorizedResponse({ description: 'LOGIN_FAILED: nama pengguna atau kata sandi salah' })
  @ApiTooManyRequestsResponse({ description: 'LOGIN_LOCKED: terlalu banyak kegagalan' })
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto.username, dto.password, ip);
  }

  @Get('me')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @ApiBearerAuth()
  me(@Actor() actor: ActorContext) {
    return {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      role: actor.role,
      opdId: actor.opdId ?? null,
    };
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller({ path: 'users', version: '1' })
export class UsersApiController {
  constructor(
    private readonly users: UserCommands,
    private readonly directory: UserDirectory,
  ) {}

  @Post()
  @Roles('ADMIN')
  @ApiCreatedResponse({ description: '{ userId, position }' })
  @ApiConflictResponse({ description: 'USER_ALREADY_EXISTS' })
  create(@Body() dto: CreateUserDto, @Actor() actor: ActorContext) {
    return this.users.register(dto, actor);
  }

  @Get()
  @Roles('ADMIN')
  list(@Actor() actor: ActorContext) {
    return {
      items: this.directory
        .listFor(actor)
        .map((user) => ({ ...publicUser(user), active: user.status === 'active' })),
    };
  }

  @Post(':userId/role')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ userId, position } (position null when the role is unchanged)' })
  @ApiConflictResponse({ description: 'USER_DEACTIVATED, LAST_ADMIN' })
  changeRole(
    @Param('userId') userId: string,
    @Body() dto: ChangeRoleDto,
    @Actor() actor: ActorContext,
  ) {
    return this.users.changeRole(userId, dto, actor);
  }

  @Post(':userId/password')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      '{ userId }: a new password for an active user (forgotten password); their sessions end at once',
  })
  async setPassword(
    @Param('userId') userId: string,
    @Body() dto: SetPasswordDto,
    @Actor() actor: ActorContext,
  ) {
    await this.users.setPassword(userId, dto.password, actor);
    return { userId };
  }

  @Post(':userId/deactivation')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOkResponse({ description: "{ userId, position }: the user's tokens stop working at once" })
  @ApiConflictResponse({ description: 'USER_DEACTIVATED, CANNOT_DEACTIVATE_SELF, LAST_ADMIN' })
  deactivate(
    @Param('userId') userId: string,
    @Body() dto: DeactivateUserDto,
    @Actor() actor: ActorContext,
  ) {
    return this.users.deactivate(userId, dto.reason, actor);
  }
}
