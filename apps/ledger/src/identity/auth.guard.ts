import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@netral/domain';
import type { Response } from 'express';
import { IDEMPOTENCY_HEADER } from '../common/idempotency/idempotency.gate';
import { assertRole } from './opd-scope';
import { type AuthenticatedRequest, RequestAuthenticator } from './request-authenticator';
import { IS_PUBLIC_KEY, ROLES_KEY, WITH_TEMPORARY_PASSWORD_KEY } from './roles.decorator';

const PASSWORD_CHANGE_REQUIRED_MESSAGE =
  'Kata sandi Anda diatur oleh administrator: ganti dulu dengan kata sandi pilihan Anda sendiri ' +
  '(halaman Akun saya, /akun, atau POST /api/v1/auth/password), lalu masuk lagi.';

/**
 * Global guard: who is calling (bearer token on /api, session cookie on pages), and may their role call this
 * route. Fails closed: a route with neither @Public() nor @Roles(...) is refused to everyone, so a forgotten
 * decorator cannot open a hole. OPD scope is checked again inside the services. A user whose password
 * someone else set may call only the routes marked @WithTemporaryPassword() until they choose their own.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false;
    const actor = await this.authenticator.actorOf(req, res);
    if (actor) {
      const key = req.headers[IDEMPOTENCY_HEADER];
      req.user =
        typeof key === 'string' && key.length <= 200 ? { ...actor, idempotencyKey: key } : actor;
    }
    if (isPublic) {
      return true;
    }
    if (!actor) {
      throw new UnauthorizedException({
        code: 'UNAUTHENTICATED',
        message:
          'Silakan masuk terlebih dahulu (token tidak ada, tidak sah, kedaluwarsa, atau akun nonaktif).',
      });
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    assertRole(actor, roles);
    if (
      actor.passwordChangeRequired &&
      !this.reflector.getAllAndOverride<boolean>(WITH_TEMPORARY_PASSWORD_KEY, targets)
    ) {
      throw new ForbiddenException({
        code: 'PASSWORD_CHANGE_REQUIRED',
        message: PASSWORD_CHANGE_REQUIRED_MESSAGE,
      });
    }
    return true;
  }
}
