import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@netral/config';
import { opdDecider, type Role, streams } from '@netral/domain';
import type { Request, Response } from 'express';
import type { ActorContext } from './actor';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { AuthService } from './auth.service';
import { assertRole } from './opd-scope';
import { IS_PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import {
  bearerToken,
  isApiRequest,
  secureCookies,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  setSessionCookie,
} from './session';

export type AuthenticatedRequest = Request & { id?: string; user?: ActorContext };

/**
 * Global guard: who is calling (bearer token on /api, session cookie on pages), and may their role call this
 * route. Fails closed: a route with neither @Public() nor @Roles(...) is refused to everyone, so a forgotten
 * decorator cannot open a hole. OPD scope is checked again inside the services.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly aggregates: AggregateStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false;
    const actor = await this.authenticate(req, res);
    if (actor) {
      const key = req.headers['idempotency-key'];
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
    return true;
  }

  private async authenticate(
    req: AuthenticatedRequest,
    res: Response,
  ): Promise<ActorContext | undefined> {
    const correlationId = typeof req.id === 'string' ? req.id : '';
    if (isApiRequest(req)) {
      const token = bearerToken(req);
      return token ? this.auth.actorFor(token, correlationId, 'access') : undefined;
    }
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    const token = cookies?.[SESSION_COOKIE];
    if (!token) {
      return undefined;
    }
    const actor = await this.auth.actorFor(token, correlationId, 'session');
    if (actor?.sessionId && actor.exp * 1000 - Date.now() < (SESSION_TTL_SECONDS * 1000) / 2) {
      // Sliding session: renewed while in use, expires after a working day of inactivity.
      setSessionCookie(
        res,
        await this.auth.renew(actor.userId, actor.sessionId, SESSION_TTL_SECONDS),
        secureCookies(this.config.publicBaseUrl),
      );
    }
    if (!actor) {
      return undefined;
    }
    const { exp: _exp, sessionId: _sessionId, ...context } = actor;
    // The layout shows who is signed in, an OPD head with the name of their OPD (its stream, one read).
    const opd = context.opdId
      ? (await this.aggregates.load(streams.opd(context.opdId), opdDecider)).state
      : undefined;
    res.locals.currentUser = {
      ...context,
      ...(opd && opd.status !== 'none' ? { opdName: opd.name } : {}),
    };
    return context;
  }
}
