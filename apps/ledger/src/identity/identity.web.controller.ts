import {
  Body,
  Controller,
  Get,
  HttpException,
  Inject,
  Ip,
  Post,
  Query,
  Req,
  RequestMethod,
  Res,
} from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { AppConfig } from '@netral/config';
import { DomainError, type Role } from '@netral/domain';
import type { Request, Response } from 'express';
import type { ActorContext } from './actor';
import { Actor } from './actor.decorator';
import { AuthService } from './auth.service';
import { escapeRegex } from '../common/regex';
import { setFlash, takeFlash } from '../portal/flash';
import { domainErrors, type FieldErrors, type Form, validateAs } from '../portal/form';
import { ChangeOwnPasswordDto, LOGIN_USERNAME_MAX_LENGTH } from './dto/identity.dto';
import { PASSWORD_MAX_LENGTH } from './password';
import { IS_PUBLIC_KEY, Public, Roles, ROLES_KEY, WithTemporaryPassword } from './roles.decorator';
import {
  clearSessionCookie,
  secureCookies,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  setSessionCookie,
} from './session';

/** Only same-site paths: `next=https://evil.example` must not turn the login page into an open redirect. */
const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/';

/** Where each role starts: where its work is. */
const LANDING: Record<Role, string> = {
  OPD_HEAD: '/opd',
  HR: '/kepatuhan',
  BAWASLU: '/kepatuhan',
  ADMIN: '/kepatuhan',
};

/** A page route as the guard sees it: its path, and who may open it (`public`: anyone). */
interface PageRoute {
  pattern: RegExp;
  roles: readonly Role[] | 'public';
}

const asList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

/** `/registri/asn/:nip` as a pattern of whole paths. */
const pathPattern = (controllerPath: string, routePath: string): RegExp => {
  const path = `/${[controllerPath, routePath].filter(Boolean).join('/')}`.replace(/\/+/g, '/');
  const body = path
    .replace(/\/$/, '')
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : escapeRegex(part)))
    .join('/');
  return new RegExp(`^${body || ''}/?$`);
};

const TEMPORARY_PASSWORD_NOTICE =
  'Kata sandi Anda diatur oleh administrator dan hanya sementara. Ganti dulu dengan kata sandi pilihan ' +
  'Anda sendiri; setelah itu semua halaman terbuka kembali.';

/** The account page: who one is, and (with a temporary password) why nothing else opens yet. */
const accountView = (actor: ActorContext, view: Record<string, unknown>) => ({
  title: 'Akun saya',
  account: actor,
  ...(actor.passwordChangeRequired ? { temporaryNotice: TEMPORARY_PASSWORD_NOTICE } : {}),
  ...view,
});

/** What every rendering of the login page needs: the same limits as the API's LoginDto, as maxlength. */
const loginView = (view: Record<string, unknown>) => ({
  title: 'Masuk',
  usernameMaxLength: LOGIN_USERNAME_MAX_LENGTH,
  passwordMaxLength: PASSWORD_MAX_LENGTH,
  ...view,
});

@ApiExcludeController()
@Controller()
export class IdentityWebController {
  constructor(
    private readonly auth: AuthService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
  ) {}

  private pages?: PageRoute[];

  /**
   * Whether `role` may open the page at `next` (a path, perhaps with a query), by the same @Public/@Roles
   * the guard reads on the GET route that serves it; a path no page serves is left to its 404.
   */
  private mayOpen(role: Role, next: string): boolean {
    this.pages ??= [...this.modules.values()].flatMap((module) =>
      [...module.controllers.values()].flatMap(({ metatype }) => {
        // Pages only: the API's controllers are versioned (under /api/v1).
        if (!metatype || Reflect.getMetadata(VERSION_METADATA, metatype) !== undefined) {
          return [];
        }
        const prototype = metatype.prototype as Record<string, unknown>;
        return Object.getOwnPropertyNames(prototype).flatMap((name) => {
          const handler = prototype[name];
          if (
            typeof handler !== 'function' ||
            Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET
          ) {
            return [];
          }
          const targets = [handler, metatype];
          const roles: PageRoute['roles'] = this.reflector.getAllAndOverride<boolean>(
            IS_PUBLIC_KEY,
            targets,
          )
            ? 'public'
            : (this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? []);
          return asList(Reflect.getMetadata(PATH_METADATA, metatype)).flatMap((base) =>
            asList(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => ({
              pattern: pathPattern(base, path),
              roles,
            })),
          );
        });
      }),
    );
    const path = next.split(/[?#]/, 1)[0];
    const route = this.pages.find((page) => page.pattern.test(path));
    return !route || route.roles === 'public' || route.roles.includes(role);
  }

  /** Where a signed-in user goes from the login page: `next` when their role may open it, else their own
   * start page (an OPD head sent to /kasus would only meet a 403). */
  private destination(role: Role, next: string): string {
    return this.mayOpen(role, next) ? next : LANDING[role];
  }

  @Get('login')
  @Public()
  loginPage(
    @Query('next') next: unknown,
    @Actor({ optional: true }) actor: ActorContext | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (actor) {
      res.redirect(303, this.destination(actor.role, safeNext(next)));
      return;
    }
    res.render('login', loginView({ next: safeNext(next), flash: takeFlash(req, res) }));
  }

  @Post('login')
  @Public()
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  async login(@Body() body: Record<string, unknown>, @Ip() ip: string, @Res() res: Response) {
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const errors: Record<string, string> = {};
    if (!username) {
      errors.username = 'wajib diisi';
    } else if (username.length > LOGIN_USERNAME_MAX_LENGTH) {
      errors.username = `paling banyak ${LOGIN_USERNAME_MAX_LENGTH} karakter`;
    }
    if (!password) {
      errors.password = 'wajib diisi';
    } else if (password.length > PASSWORD_MAX_LENGTH) {
      errors.password = `paling banyak ${PASSWORD_MAX_LENGTH} karakter`;
    }
    if (Object.keys(errors).length === 0) {
      try {
        const result = await this.auth.login(username, password, ip, {
          ttlSeconds: SESSION_TTL_SECONDS,
        });
        setSessionCookie(res, result.accessToken, secureCookies(this.config.publicBaseUrl));
        if (result.user.passwordChangeRequired) {
          // Nothing else opens until they have chosen their own (the guard): straight to the form, which
          // says why.
          res.redirect(303, '/akun');
          return;
        }
        res.redirect(303, this.destination(result.user.role, next));
        return;
      } catch (error) {
        if (!(error instanceof HttpException)) {
          throw error;
        }
        const response = error.getResponse() as { message?: string };
        res.status(error.getStatus());
        res.render('login', loginView({ next, username, formError: response.message }));
        return;
      }
    }
    res
      .status(400)
      .render(
        'login',
        loginView({ next, username, errors, formError: 'Periksa isian yang ditandai.' }),
      );
  }

  @Post('logout')
  @Public()
  async logout(@Req() req: Request, @Res() res: Response) {
    const token = (req.cookies as Record<string, string | undefined>)[SESSION_COOKIE];
    if (token) {
      // Not only this browser's cookie: any copy of this session's tokens stops working too.
      await this.auth.endSession(token, SESSION_TTL_SECONDS);
    }
    clearSessionCookie(res);
    setFlash(res, { kind: 'success', message: 'Anda sudah keluar.' });
    res.redirect(303, '/login?keluar=1');
  }

  /** Every signed-in user's own account: who they are here, and a form to change their password (the only
   * page a user with a temporary password may open). */
  @Get('akun')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @WithTemporaryPassword()
  account(@Actor() actor: ActorContext, @Req() req: Request, @Res() res: Response) {
    res.render('account', accountView(actor, { flash: takeFlash(req, res) }));
  }

  /**
   * A new password for oneself: the current one first (a failure counts toward the login lockout), the
   * new one twice, under the same policy as any password (AuthService.changeOwnPassword, as the API).
   * Every session of the account ends, this one too: the browser is sent to sign in again with the new
   * password.
   */
  @Post('akun/sandi')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  @WithTemporaryPassword()
  async changePassword(
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Ip() ip: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const field = (key: string) => (typeof body?.[key] === 'string' ? body[key] : '');
    const [current, password, confirm] = [
      field('currentPassword'),
      field('password'),
      field('confirm'),
    ];
    const failed = (errors: FieldErrors, message: string, status = 400) =>
      res.status(status).render('account', accountView(actor, { errors, formError: message }));
    const checked = validateAs(ChangeOwnPasswordDto, { currentPassword: current, password });
    const errors: FieldErrors = { ...checked.errors };
    if (!checked.errors && confirm !== password) {
      errors.confirm = 'tidak sama dengan kata sandi baru: ketik ulang';
    }
    if (Object.keys(errors).length > 0) {
      return failed(errors, 'Periksa isian yang ditandai.');
    }
    try {
      await this.auth.changeOwnPassword(actor, current, password, ip);
    } catch (error) {
      if (error instanceof DomainError) {
        return failed(domainErrors(error), error.message);
      }
      if (error instanceof HttpException) {
        const response = error.getResponse() as { message?: string };
        return failed({}, response.message ?? 'Coba lagi nanti.', error.getStatus());
      }
      throw error;
    }
    const token = (req.cookies as Record<string, string | undefined>)[SESSION_COOKIE];
    if (token) {
      await this.auth.endSession(token, SESSION_TTL_SECONDS);
    }
    clearSessionCookie(res);
    setFlash(res, {
      kind: 'success',
      message:
        'Kata sandi diganti. Masuk lagi dengan kata sandi baru; sesi lain akun ini juga berakhir.',
    });
    res.redirect(303, '/login');
  }

  @Get()
  @Public()
  home(@Actor({ optional: true }) actor: ActorContext | undefined, @Res() res: Response) {
    if (!actor) {
      res.redirect(303, '/login');
      return;
    }
    res.redirect(303, LANDING[actor.role] ?? '/docs');
  }
}
