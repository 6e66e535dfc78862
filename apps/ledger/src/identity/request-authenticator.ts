import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { opdDecider, streams } from '@netral/domain';
import type { Request, Response } from 'express';
import type { ActorContext } from './actor';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { AuthService } from './auth.service';
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
 * Who is calling: a bearer token on /api, the session cookie on pages. Worked out once per request, whoever
 * asks first (the idempotency middleware for a keyed write, else the AuthGuard), so a session is renewed and
 * a token verified once.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly resolved = new WeakMap<Request, Promise<ActorContext | undefined>>();

  constructor(
    private readonly auth: AuthService,
    private readonly aggregates: AggregateStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  actorOf(req: AuthenticatedRequest, res: Response): Promise<ActorContext | undefined> {
    let actor = this.resolved.get(req);
    if (!actor) {
      actor = this.authenticate(req, res);
      this.resolved.set(req, actor);
    }
    return actor;
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
