import { Body, Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { CredentialsStore } from './credentials.store';
import {
  ChangeOwnPasswordDto,
  ChangeRoleDto,
  CreateUserDto,
  DeactivateUserDto,
  LoginDto,
  SetPasswordDto,
} from './dto/identity.dto';
import { Public, Roles, WithTemporaryPassword } from './roles.decorator';
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
  @WithTemporaryPassword()
  @ApiBearerAuth()
  @ApiOkResponse({
    description: '{ id, username, displayName, role, opdId, passwordChangeRequired }',
  })
  me(@Actor() actor: ActorContext) {
    return publicUser(actor, actor.passwordChangeRequired === true);
  }

  @Post('password')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @WithTemporaryPassword()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({
    description:
      '{ userId }: one’s own new password. Every token issued before it stops working, this one too: ' +
      'sign in again with the new password. Ends a temporary password (PASSWORD_CHANGE_REQUIRED).',
  })
  @ApiBadRequestResponse({
    description:
      'CURRENT_PASSWORD_WRONG (counts toward the login lockout), PASSWORD_UNCHANGED, PASSWORD_POLICY',
  })
  @ApiTooManyRequestsResponse({ description: 'LOGIN_LOCKED: terlalu banyak kegagalan' })
  async changePassword(
    @Body() dto: ChangeOwnPasswordDto,
    @Actor() actor: ActorContext,
    @Ip() ip: string,
  ) {
    await this.auth.changeOwnPassword(actor, dto.currentPassword, dto.password, ip);
    return { userId: actor.userId };
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller({ path: 'users', version: '1' })
export class UsersApiController {
  constructor(
    private readonly users: UserCommands,
    private readonly directory: UserDirectory,
    private readonly credentials: CredentialsStore,
  ) {}

  @Post()
  @Roles('ADMIN')
  @ApiCreatedResponse({
    description:
      '{ userId, position }. The password is temporary: the new user must choose their own at first ' +
      'sign-in (every other route answers PASSWORD_CHANGE_REQUIRED until then).',
  })
  @ApiConflictResponse({ description: 'USER_ALREADY_EXISTS' })
  create(@Body() dto: CreateUserDto, @Actor() actor: ActorContext) {
    return this.users.register(dto, actor, { temporary: true });
  }

  @Get()
  @Roles('ADMIN')
  list(@Actor() actor: ActorContext) {
    return {
      items: this.directory.listFor(actor).map((user) => ({
        ...publicUser(user, this.credentials.passwordState(user.userId).temporary),
        active: user.status === 'active',
      })),
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
      '{ userId }: a new, temporary password for an active user (forgotten password): their sessions ' +
      'end at once, and they must choose their own at the next sign-in',
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
