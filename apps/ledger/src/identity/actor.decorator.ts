import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { ActorContext } from './actor';
import type { AuthenticatedRequest } from './request-authenticator';

/** The signed-in caller, as set by the AuthGuard. On a @Public() route it may be absent: use
 * `@Actor({ optional: true })` there. */
export const Actor = createParamDecorator(
  (
    options: { optional?: boolean } | undefined,
    context: ExecutionContext,
  ): ActorContext | undefined => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user && !options?.optional) {
      throw new UnauthorizedException({
        code: 'UNAUTHENTICATED',
        message: 'Silakan masuk terlebih dahulu.',
      });
    }
    return user;
  },
);
