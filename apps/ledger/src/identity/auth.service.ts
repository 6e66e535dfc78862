import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@netral/config';
import { invalid, type Role } from '@netral/domain';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActorContext } from './actor';
import { CredentialsStore } from './credentials.store';
import { LoginThrottle } from './login-throttle';
import { decoyHash, verifyPassword } from './password';
import { type KnownUser, UserDirectory } from './user-directory';
import { UserCommands } from './user.commands';

/** Verified tokens remembered at most (a few per active user and device). */
const VERIFIED_TOKENS_KEPT = 10_000;

export const LOGIN_FAILED_MESSAGE = 'Nama pengguna atau kata sandi salah.';

/** `access`: a short-lived API bearer token. `session`: the web session cookie. Each is accepted only
 * where it was issued for, so an API token pasted into a cookie never becomes a renewable session, and a
 * session cookie never authenticates an API call. */
export type TokenKind = 'access' | 'session';

export interface TokenClaims {
  sub: string;
  /** Informative only: every request re-reads role and OPD from the user directory. */
  role: Role;
  typ: TokenKind;
  /** Web sessions only: one id from login to logout, kept by every renewal, so logout ends them all. */
  sid?: string;
}

type VerifiedClaims = TokenClaims & { exp: number; iat: number };

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: LoginUser;
}

export interface LoginUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  opdId: string | null;
  /** Set by someone else: every route but the account's own answers PASSWORD_CHANGE_REQUIRED until the
   * user chooses their own password. */
  passwordChangeRequired: boolean;
}

/** NETRAL_JWT_SECRET, or a random secret generated once into the data directory (mode 0600). */
export const jwtSecret = (config: AppConfig): string => {
  if (config.jwt.secret) {
    return config.jwt.secret;
  }
  const file = join(config.dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
};

export const publicUser = (
  user: Pick<KnownUser, 'userId' | 'username' | 'displayName' | 'role' | 'opdId'>,
  passwordChangeRequired: boolean,
): LoginUser => ({
  id: user.userId,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  opdId: user.opdId ?? null,
  passwordChangeRequired,
});

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly verifiedTokens = new Map<string, VerifiedClaims>();
  /** Sessions ended by logout (id → until, epoch seconds); loaded at start, checked on every request. */
  private readonly revoked: Map<string, number>;

  constructor(
    private readonly jwt: JwtService,
    private readonly directory: UserDirectory,
    private readonly credentials: CredentialsStore,
    private readonly throttle: LoginThrottle,
    private readonly users: UserCommands,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.revoked = credentials.revokedSessions(Math.floor(Date.now() / 1000));
  }

  /** Checks a username and password; the same answer for an unknown user and a wrong password, after the
   * same amount of work. Repeated failures for one username from one address are slowed down. */
  async login(
    username: string,
    password: string,
    ip: string,
    session?: { ttlSeconds: number },
  ): Promise<LoginResult> {
    const user = await this.checkPassword(username, password, ip, 'login');
    if (!user) {
      throw new UnauthorizedException({ code: 'LOGIN_FAILED', message: LOGIN_FAILED_MESSAGE });
    }
    const expiresIn = session?.ttlSeconds ?? this.config.jwt.ttlSeconds;
    const claims: TokenClaims = session
      ? { sub: user.userId, role: user.role, typ: 'session', sid: randomUUID() }
      : { sub: user.userId, role: user.role, typ: 'access' };
    return {
      accessToken: await this.sign(claims, expiresIn),
      tokenType: 'Bearer',
      expiresIn,
      user: publicUser(user, this.credentials.passwordState(user.userId).temporary),
    };
  }

  /**
   * The active user whose password this is, or undefined, after the same amount of work either way. A
   * failure counts toward the lockout of that username from that address, whatever asked (a login, or a
   * signed-in user confirming their current password), so neither can be used to guess; while locked it
   * throws LOGIN_LOCKED (429). Logged with the username and address, never the password.
   */
  async checkPassword(
    username: string,
    password: string,
    ip: string,
    purpose: 'login' | 'password change',
  ): Promise<KnownUser | undefined> {
    this.throttle.check(username, ip);
    const user = this.directory.active(username.toLowerCase());
    const stored = user ? this.credentials.get(user.userId) : undefined;
    const ok = await verifyPassword(password, stored ?? (await decoyHash()));
    if (!user || !stored || !ok) {
      const failures = this.throttle.fail(username, ip);
      this.logger.warn({ username, ip, failures }, `${purpose} failed`);
      return undefined;
    }
    this.throttle.succeed(username, ip);
    this.logger.log({ username: user.username, ip }, `${purpose} succeeded`);
    return user;
  }

  /**
   * A signed-in user's new password of their own (the account page, `POST /api/v1/auth/password`): the
   * current one must be right (a failure counts toward the login lockout), the new one must differ from it
   * and meet the policy. It ends a temporary password; every token issued before it stops working, the
   * caller's too. Field errors name `currentPassword` and `password`.
   */
  async changeOwnPassword(
    actor: ActorContext,
    current: string,
    password: string,
    ip: string,
  ): Promise<void> {
    if (!(await this.checkPassword(actor.username, current, ip, 'password change'))) {
      throw invalid(
        'CURRENT_PASSWORD_WRONG',
        'Kata sandi saat ini salah; kata sandi tidak diganti.',
        [{ field: 'currentPassword', reason: 'salah', code: 'CURRENT_PASSWORD_WRONG' }],
      );
    }
    if (password === current) {
      throw invalid(
        'PASSWORD_UNCHANGED',
        'Kata sandi baru sama dengan kata sandi saat ini: pilih kata sandi lain.',
        [
          {
            field: 'password',
            reason: 'sama dengan kata sandi saat ini',
            code: 'PASSWORD_UNCHANGED',
          },
        ],
      );
    }
    await this.users.setPassword(actor.userId, password, actor);
  }

  /** The actor behind a token of the given kind, or undefined when the token is invalid, expired, of the
   * other kind, from an ended session, older than its user's last password change, or its user is no
   * longer active. Role and OPD come from the directory, so changes apply at once. */
  async actorFor(
    token: string,
    correlationId: string,
    kind: TokenKind,
  ): Promise<(ActorContext & { exp: number; sessionId?: string }) | undefined> {
    const claims = await this.verified(token);
    if (!claims || claims.typ !== kind) {
      return undefined;
    }
    if (kind === 'session' && (claims.sid === undefined || this.revoked.has(claims.sid))) {
      return undefined;
    }
    const user = this.directory.active(claims.sub);
    if (!user) {
      return undefined;
    }
    // A new password ends every token issued before it (read from the file: the CLI may have set it).
    const password = this.credentials.passwordState(user.userId);
    if (claims.iat * 1000 < password.changedAt) {
      return undefined;
    }
    return {
      userId: user.userId,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      ...(user.opdId ? { opdId: user.opdId } : {}),
      correlationId,
      ...(password.temporary ? { passwordChangeRequired: true as const } : {}),
      exp: claims.exp,
      ...(claims.sid ? { sessionId: claims.sid } : {}),
    };
  }

  /**
   * Logout: the session's tokens stop working everywhere in this instance at once, including a copy of an
   * older cookie from before a renewal (they share the session id). Kept until the longest of them expires.
   */
  async endSession(token: string, sessionTtlSeconds: number): Promise<void> {
    const claims = await this.verified(token);
    if (claims?.typ === 'session' && claims.sid) {
      const now = Math.ceil(Date.now() / 1000);
      for (const [sessionId, expires] of this.revoked) {
        if (expires <= now) {
          this.revoked.delete(sessionId); // every token of it has expired on its own
        }
      }
      const until = now + sessionTtlSeconds;
      this.revoked.set(claims.sid, until);
      this.credentials.revokeSession(claims.sid, until);
    }
  }

  /**
   * The claims of a valid, unexpired token. A token's signature is checked once and remembered until it
   * expires: the same string always verifies the same way, and every API call carries one (verification was
   * a visible share of each request). Expiry is checked on every call; who the user is and whether they are
   * still active is looked up fresh by the caller.
   */
  private async verified(token: string): Promise<VerifiedClaims | undefined> {
    const nowSeconds = Date.now() / 1000;
    const known = this.verifiedTokens.get(token);
    if (known) {
      if (known.exp > nowSeconds) {
        return known;
      }
      this.verifiedTokens.delete(token);
      return undefined;
    }
    let claims: VerifiedClaims;
    try {
      claims = await this.jwt.verifyAsync<VerifiedClaims>(token);
    } catch {
      return undefined;
    }
    if (this.verifiedTokens.size >= VERIFIED_TOKENS_KEPT) {
      // Bounded: drop the oldest (insertion order); they are verified again if they come back.
      for (const oldest of [...this.verifiedTokens.keys()].slice(0, VERIFIED_TOKENS_KEPT / 10)) {
        this.verifiedTokens.delete(oldest);
      }
    }
    this.verifiedTokens.set(token, claims);
    return claims;
  }

  /** `iat` to the millisecond (RFC 7519 NumericDate may be fractional): a token issued in the same second
   * as a password change is still ordered before or after it. */
  private sign(claims: TokenClaims, expiresIn: number): Promise<string> {
    return this.jwt.signAsync({ ...claims, iat: Date.now() / 1000 }, { expiresIn });
  }

  /** A renewed session token: same user, same session id, a fresh expiry. */
  async renew(userId: string, sessionId: string, ttlSeconds: number): Promise<string> {
    const user = this.directory.active(userId);
    if (!user) {
      throw new UnauthorizedException({ code: 'LOGIN_FAILED', message: LOGIN_FAILED_MESSAGE });
    }
    const claims: TokenClaims = {
      sub: user.userId,
      role: user.role,
      typ: 'session',
      sid: sessionId,
    };
    return this.sign(claims, ttlSeconds);
  }
}
