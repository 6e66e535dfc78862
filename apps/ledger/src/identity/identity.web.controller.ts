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
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { AppConfig } from '@netral/config';
import { DomainError } from '@netral/domain';
import type { Request, Response } from 'express';
import type { ActorContext } from './actor';
import { Actor } from './actor.decorator';
import { AuthService } from './auth.service';
import { setFlash, takeFlash } from '../portal/flash';
import { domainErrors, type FieldErrors, type Form, validateAs } from '../portal/form';
import { LOGIN_USERNAME_MAX_LENGTH, SetPasswordDto } from './dto/identity.dto';
import { PASSWORD_MAX_LENGTH } from './password';
import { Public, Roles } from './roles.decorator';
import { UserCommands } from './user.commands';
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
    private readonly users: UserCommands,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  loginPage(
    @Query('next') next: unknown,
    @Actor({ optional: true }) actor: ActorContext | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (actor) {
      res.redirect(303, safeNext(next));
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
      errors.username = 'Nama pengguna wajib diisi.';
    } else if (username.length > LOGIN_USERNAME_MAX_LENGTH) {
      errors.username = `Nama pengguna paling banyak ${LOGIN_USERNAME_MAX_LENGTH} karakter.`;
    }
    if (!password) {
      errors.password = 'Kata sandi wajib diisi.';
    } else if (password.length > PASSWORD_MAX_LENGTH) {
      errors.password = `Kata sandi paling banyak ${PASSWORD_MAX_LENGTH} karakter.`;
    }
    if (Object.keys(errors).length === 0) {
      try {
        const result = await this.auth.login(username, password, ip, {
          ttlSeconds: SESSION_TTL_SECONDS,
        });
        setSessionCookie(res, result.accessToken, secureCookies(this.config.publicBaseUrl));
        res.redirect(303, next);
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

  /** Every signed-in user's own account: who they are here, and a form to change their password. */
  @Get('akun')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  account(@Actor() actor: ActorContext, @Req() req: Request, @Res() res: Response) {
    res.render('account', { title: 'Akun saya', flash: takeFlash(req, res), account: actor });
  }

  /**
   * A new password for oneself: the current one first (a failure counts toward the login lockout), the
   * new one twice, under the same policy as any password. Every session of the account ends, this one too:
   * the browser is sent to sign in again with the new password.
   */
  @Post('akun/sandi')
  @Roles('ADMIN', 'OPD_HEAD', 'BAWASLU', 'HR')
  async changePassword(
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Ip() ip: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const field = (key: string) => (typeof body?.[key] === 'string' ? body[key] : '');
    const [current, password, confirm] = [field('current'), field('password'), field('confirm')];
    const failed = (errors: FieldErrors, message: string, status = 400) =>
      res.status(status).render('account', {
        title: 'Akun saya',
        account: actor,
        errors,
        formError: message,
      });
    const checked = validateAs(SetPasswordDto, { password });
    const errors: FieldErrors = { ...checked.errors };
    if (!current) {
      errors.current = 'wajib diisi';
    }
    if (!checked.errors && confirm !== password) {
      errors.confirm = 'tidak sama dengan kata sandi baru: ketik ulang';
    }
    if (Object.keys(errors).length > 0) {
      return failed(errors, 'Periksa isian yang ditandai.');
    }
    try {
      if (!(await this.auth.checkPassword(actor.username, current, ip, 'password change'))) {
        return failed({ current: 'salah' }, 'Kata sandi saat ini salah; kata sandi tidak diganti.');
      }
      if (password === current) {
        return failed({ password: 'sama dengan kata sandi saat ini' }, 'Pilih kata sandi baru.');
      }
      await this.users.setPassword(actor.userId, password, actor);
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
    // Each role starts where its work is.
    const start = {
      OPD_HEAD: '/opd',
      HR: '/kepatuhan',
      BAWASLU: '/kepatuhan',
      ADMIN: '/kepatuhan',
    } as const;
    res.redirect(303, start[actor.role] ?? '/docs');
  }
}
