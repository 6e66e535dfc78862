import { type ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BodyTypeGuard } from '../common/body-type.guard';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@netral/config';
import { createSecretKey } from 'node:crypto';
import { AuthGuard } from './auth.guard';
import { AuthService, jwtSecret } from './auth.service';
import { CredentialsStore } from './credentials.store';
import { AuthApiController, UsersApiController } from './identity.api.controller';
import { IdentityWebController } from './identity.web.controller';
import { LoginThrottle } from './login-throttle';
import { RequestAuthenticator } from './request-authenticator';
import { clientAddress, isLoginAttempt, NetralThrottlerGuard } from './throttler.guard';
import { WindowThrottlerStorage } from './throttler-storage';
import { UserCommands } from './user.commands';
import { UserDirectory } from './user-directory';

/** Users (events on `user-*` streams), passwords (their own table), login for the API (bearer JWT) and the
 * pages (session cookie + CSRF), and the global guards every route passes. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails, with an exception) to parse the
        // secret as a PEM public key on every verification, which dominated the request profile.
        secret: createSecretKey(Buffer.from(jwtSecret(config), 'utf8')),
        signOptions: { algorithm: 'HS256', issuer: 'netral' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'netral' },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute },
          // Login from one address, whatever the usernames tried: the per-username limit on the login
          // routes alone would let one address spray guesses (each an scrypt) across many accounts.
          {
            name: 'loginAddress',
            ttl: 60_000,
            limit: config.loginRateLimitPerMinute,
            getTracker: clientAddress,
            skipIf: (context: ExecutionContext) => !isLoginAttempt(context),
          },
        ],
        storage: new WindowThrottlerStorage(),
      }),
    }),
  ],
  controllers: [AuthApiController, UsersApiController, IdentityWebController],
  providers: [
    CredentialsStore,
    UserDirectory,
    UserCommands,
    AuthService,
    LoginThrottle,
    RequestAuthenticator,
    // Global guards run in this order: the rate limit, then who the caller is and may they (401, 403),
    // then what they sent (BodyTypeGuard: 400, 415), so an anonymous caller hears 401 whatever its body.
    { provide: APP_GUARD, useClass: NetralThrottlerGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: BodyTypeGuard },
  ],
  exports: [UserCommands, UserDirectory, AuthService, RequestAuthenticator, CredentialsStore],
})
export class IdentityModule {}
